package dev.hanul.retrieval;

import dev.hanul.config.DataDirectory;
import dev.hanul.embedding.EmbeddingModel;
import dev.hanul.embedding.Embedder;
import dev.hanul.index.IndexConfig;
import dev.hanul.index.VectorSimilarity;
import dev.hanul.index.VectorStore;
import dev.hanul.index.solrcloud.SolrCloudVectorStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The chunk index: written by ingestion, read by search. By default an embedded Lucene index under
 * {@code <data-dir>/index/chunks}; with {@code hanul.index.backend=solrcloud} a SolrCloud collection that every Hanul
 * replica shares ({@link ChunkIndexProperties}). Its vectors are the
 * embedder's, which are of unit length, so dot product ranks exactly as cosine and costs less.
 *
 * <p>The index records which embedding model wrote its vectors ({@code embedding-model} beside it); opening it with
 * another model fails, because vectors of two models in one index make every query's ranking meaningless. An index
 * from before the record was kept was written by all-MiniLM-L6-v2, the only model then.
 */
@Configuration(proxyBeanMethods = false)
class ChunkStoreConfiguration {

    static final String MODEL_RECORD = "embedding-model";

    @Bean(destroyMethod = "close")
    VectorStore chunkStore(ChunkIndexProperties properties, DataDirectory dataDirectory, Embedder embedder)
            throws IOException {
        IndexConfig config = IndexConfig.of(embedder.dimension(), VectorSimilarity.DOT_PRODUCT);
        return switch (properties.backend()) {
            case LUCENE -> embedded(dataDirectory, embedder, config);
            // The collection's configset is named after the embedding model too, which catches a model switch.
            case SOLRCLOUD -> SolrCloudVectorStore.open(properties.solrcloud().config(), config, embedder.id());
        };
    }

    private static VectorStore embedded(DataDirectory dataDirectory, Embedder embedder, IndexConfig config)
            throws IOException {
        Path directory = dataDirectory.path().resolve("index").resolve("chunks");
        requireSameModel(directory, embedder.id());
        VectorStore store = VectorStore.open(directory, config);
        Files.writeString(directory.resolveSibling("chunks." + MODEL_RECORD), embedder.id(), StandardCharsets.UTF_8);
        return store;
    }

    private static void requireSameModel(Path directory, String model) throws IOException {
        Path record = directory.resolveSibling("chunks." + MODEL_RECORD);
        String written;
        if (Files.exists(record)) {
            written = Files.readString(record, StandardCharsets.UTF_8).strip();
        } else if (Files.isDirectory(directory) && hasSegments(directory)) {
            written = EmbeddingModel.ALL_MINILM_L6_V2.id();
        } else {
            return;
        }
        if (!written.equalsIgnoreCase(model)) {
            throw new IllegalStateException("The chunk index at " + directory + " holds vectors of " + written
                    + ", but hanul.embedding.model is " + model + ". Vectors of two models cannot share an index: "
                    + "set hanul.embedding.model=" + written + " again, or move the index and the metadata database "
                    + "aside and ingest the documents again with the new model.");
        }
    }

    private static boolean hasSegments(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            return files.anyMatch(file -> file.getFileName().toString().startsWith("segments_"));
        }
    }
}
