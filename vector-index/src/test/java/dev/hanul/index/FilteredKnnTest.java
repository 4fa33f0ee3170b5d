package dev.hanul.index;

import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

/** {@link FilteredKnnContract} on the embedded Lucene store. */
class FilteredKnnTest extends FilteredKnnContract {

    @TempDir
    static Path dir;

    @Override
    VectorStore open(IndexConfig config) throws IOException {
        return VectorStore.open(dir, config);
    }
}
