package dev.hanul.retrieval;

import dev.hanul.config.DataDirectory;
import dev.hanul.embedding.Embedder;
import dev.hanul.index.IndexConfig;
import dev.hanul.index.VectorSimilarity;
import dev.hanul.index.VectorStore;
import java.io.IOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The chunk index under {@code <data-dir>/index/chunks}: written by ingestion, read by search. Its vectors are the
 * embedder's, which are of unit length, so dot product ranks exactly as cosine and costs less.
 */
@Configuration(proxyBeanMethods = false)
class ChunkStoreConfiguration {

    @Bean(destroyMethod = "close")
    VectorStore chunkStore(DataDirectory dataDirectory, Embedder embedder) throws IOException {
        return VectorStore.open(dataDirectory.path().resolve("index").resolve("chunks"),
                IndexConfig.of(embedder.dimension(), VectorSimilarity.DOT_PRODUCT));
    }
}
