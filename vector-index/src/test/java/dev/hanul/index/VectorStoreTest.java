package dev.hanul.index;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static dev.hanul.index.TestVectors.chunk;
import static dev.hanul.index.TestVectors.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The chunk-store contract on the embedded Lucene store, and what only a local index directory does. */
class VectorStoreTest extends VectorStoreContract {

    @TempDir
    Path dir;

    @Override
    VectorStore open(IndexConfig config) throws IOException {
        return VectorStore.open(dir, config);
    }

    @Test
    void reopeningWithAnotherSimilarityOrDimensionFailsNamingBoth() throws Exception {
        open(IndexConfig.of(DIM)).close();
        assertThatThrownBy(() -> open(IndexConfig.of(DIM, VectorSimilarity.DOT_PRODUCT)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("COSINE").hasMessageContaining("DOT_PRODUCT");
        assertThatThrownBy(() -> open(IndexConfig.of(16)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimension 8").hasMessageContaining("dimension 16");
    }

    @Test
    void graphParametersAndQuantizationMayChangeBetweenOpens() throws Exception {
        float[] first = unit(random, DIM);
        try (var store = open(IndexConfig.of(DIM))) {
            store.add(List.of(chunk("acme", "d1", "c1", "one", first, null)));
            store.commit();
        }
        float[] second = unit(random, DIM);
        try (var store = open(IndexConfig.of(DIM).withHnsw(32, 200)
                .withQuantization(Quantization.INT8))) {
            store.add(List.of(chunk("acme", "d2", "c2", "two", second, null)));
            assertThat(store.search(SearchRequest.vector("acme", second).withTopK(1)))
                    .extracting(SearchHit::chunkId).containsExactly("c2");
            assertThat(store.search(SearchRequest.vector("acme", first).withTopK(1)))
                    .extracting(SearchHit::chunkId).containsExactly("c1");
        }
    }

}
