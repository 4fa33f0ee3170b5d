package dev.hanul.index;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VectorCollectionsTest {

    @TempDir
    Path root;

    private final Random random = new Random(9);

    @Test
    void upsertGetDeleteAndCount() throws Exception {
        try (var db = VectorCollections.open(root)) {
            VectorCollection points = db.create("points", IndexConfig.of(3, VectorSimilarity.EUCLIDEAN));
            var a = new VectorRecord("a", new float[] {1, 0, 0}, Metadata.of(Map.of("kind", "axis")));
            var b = new VectorRecord("b", new float[] {0, 1, 0}, Metadata.of(Map.of("kind", "axis")));
            points.upsert(List.of(a, b));

            assertThat(points.count()).isEqualTo(2);
            VectorRecord got = points.get("a").orElseThrow();
            assertThat(got.vector()).containsExactly(1, 0, 0);
            assertThat(got.metadata()).isEqualTo(a.metadata());

            points.upsert(List.of(new VectorRecord("a", new float[] {2, 2, 2}, Metadata.of(Map.of("kind", "moved")))));
            assertThat(points.count()).as("upsert replaces by id").isEqualTo(2);
            assertThat(points.get("a").orElseThrow().vector()).containsExactly(2, 2, 2);

            points.delete("b");
            assertThat(points.count()).isEqualTo(1);
            assertThat(points.get("b")).isEmpty();
            assertThat(points.count(Filter.exact("kind", "moved"))).isEqualTo(1);

            points.forceMerge(1);
            assertThat(points.count()).isEqualTo(1);
            assertThat(points.get("a").orElseThrow().vector()).containsExactly(2, 2, 2);
        }
    }

    @Test
    void filteredQueryReturnsTheNearestMatchingRecords() throws Exception {
        try (var db = VectorCollections.open(root)) {
            VectorCollection items = db.create("items", IndexConfig.of(8));
            List<VectorRecord> records = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                records.add(new VectorRecord("r" + i, TestVectors.unit(random, 8),
                        Metadata.of(Map.of("shard", i % 10, "color", i % 2 == 0 ? "red" : "blue"))));
            }
            items.upsert(records);
            float[] target = records.get(42).vector();

            List<VectorMatch> matches = items.query(VectorQuery.of(target).withTopK(5)
                    .withFilter(Filter.and(Filter.exact("shard", 2), Filter.anyOf("color", "red", "green"))));

            assertThat(matches).hasSize(5);
            assertThat(matches.getFirst().id()).isEqualTo("r42");
            assertThat(matches).allSatisfy(m -> assertThat(m.metadata().get("shard"))
                    .containsExactly(new MetadataValue.LongValue(2)));
            assertThat(matches).extracting(VectorMatch::score).isSortedAccordingTo((x, y) -> Float.compare(y, x));
        }
    }

    @Test
    void collectionsReopenWithTheirOwnConfiguration() throws Exception {
        IndexConfig config = IndexConfig.of(4, VectorSimilarity.DOT_PRODUCT).withHnsw(8, 50)
                .withQuantization(Quantization.INT8);
        float[] vector = TestVectors.unit(random, 4);
        try (var db = VectorCollections.open(root)) {
            db.create("kept", config).upsert(List.of(new VectorRecord("x", vector, null)));
            db.create("other", IndexConfig.of(16));
        }
        try (var db = VectorCollections.open(root)) {
            assertThat(db.names()).containsExactly("kept", "other");
            VectorCollection kept = db.get("kept");
            assertThat(kept.config()).isEqualTo(config);
            assertThat(kept.get("x").orElseThrow().vector()).containsExactly(vector);
            assertThat(kept.query(VectorQuery.of(vector))).extracting(VectorMatch::id).containsExactly("x");
        }
    }

    @Test
    void quantizedCollectionsFindTheirOwnVectors() throws Exception {
        try (var db = VectorCollections.open(root)) {
            for (Quantization quantization : Quantization.values()) {
                VectorCollection collection = db.create("q-" + quantization.name().toLowerCase(),
                        IndexConfig.of(32).withQuantization(quantization));
                List<VectorRecord> records = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    records.add(new VectorRecord("v" + i, TestVectors.unit(random, 32), null));
                }
                collection.upsert(records);
                for (int i = 0; i < 200; i += 20) {
                    assertThat(collection.query(VectorQuery.of(records.get(i).vector()).withTopK(3)))
                            .as("%s: query by record %d", quantization, i)
                            .extracting(VectorMatch::id).contains("v" + i);
                }
            }
        }
    }

    @Test
    void namesAreCheckedAndDropDeletesTheFiles() throws Exception {
        try (var db = VectorCollections.open(root)) {
            db.create("tmp", IndexConfig.of(2));
            assertThatThrownBy(() -> db.create("tmp", IndexConfig.of(2)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("'tmp' already exists");
            assertThatThrownBy(() -> db.create("../escape", IndexConfig.of(2)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'../escape'");
            assertThatThrownBy(() -> db.get("missing"))
                    .isInstanceOf(NoSuchElementException.class).hasMessageContaining("'missing'")
                    .hasMessageContaining("[tmp]");
            assertThatThrownBy(() -> db.get("tmp").upsert(List.of(new VectorRecord("x", new float[3], null))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("3 dimensions").hasMessageContaining("dimension 2");

            db.drop("tmp");
            assertThat(db.names()).isEmpty();
            assertThat(Files.exists(root.resolve("tmp"))).isFalse();
        }
    }
}
