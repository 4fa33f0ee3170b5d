package dev.hanul.index;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackupTest {

    private static final int DIM = 4;

    @TempDir
    Path dir;

    private final Random random = new Random(5);

    @Test
    void restoreBringsBackTheStoreAsItWasAtBackup() throws Exception {
        Path live = dir.resolve("live");
        Path backup = dir.resolve("backup");
        Path restored = dir.resolve("restored");
        try (var store = VectorStore.open(live, IndexConfig.of(DIM))) {
            for (int d = 0; d < 20; d++) {
                store.replaceDocument("acme", "doc-" + d, List.of(chunk(d, "before backup")));
            }
            store.backup(backup);
            // Writes after the backup, while it is held, must not leak into it.
            store.deleteDocument("acme", "doc-0");
            store.replaceDocument("acme", "doc-99", List.of(chunk(99, "after backup")));
            store.commit();
        }

        VectorStore.restore(backup, restored);

        try (var store = VectorStore.open(restored, IndexConfig.of(DIM))) {
            assertThat(store.count("acme")).isEqualTo(20);
            assertThat(store.search(SearchRequest.text("acme", "after"))).isEmpty();
            assertThat(store.search(SearchRequest.text("acme", "before")).size()).isEqualTo(10);
            store.replaceDocument("acme", "doc-100", List.of(chunk(100, "written to the restored copy")));
            assertThat(store.count("acme")).isEqualTo(21);
        }
        try (var store = VectorStore.open(live, IndexConfig.of(DIM))) {
            assertThat(store.count("acme")).as("the live store is unaffected").isEqualTo(20);
        }
    }

    @Test
    void refusesToOverwriteOrToRestoreWhatIsNoBackup() throws Exception {
        Path occupied = Files.createDirectories(dir.resolve("occupied"));
        Files.writeString(occupied.resolve("something"), "x");
        try (var store = VectorStore.open(dir.resolve("live"), IndexConfig.of(DIM))) {
            assertThatThrownBy(() -> store.backup(occupied)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not empty");
        }
        assertThatThrownBy(() -> VectorStore.restore(dir.resolve("live"), occupied))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not empty");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> VectorStore.restore(empty, dir.resolve("target")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no index commit");
    }

    private ChunkDocument chunk(int document, String text) {
        return new ChunkDocument("c" + document, "doc-" + document, "acme", text + " " + document,
                TestVectors.unit(random, DIM), Metadata.EMPTY);
    }
}
