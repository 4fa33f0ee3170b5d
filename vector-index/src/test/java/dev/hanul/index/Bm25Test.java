package dev.hanul.index;

import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

/** {@link Bm25Contract} on the embedded Lucene store. */
class Bm25Test extends Bm25Contract {

    @TempDir
    Path dir;

    @Override
    VectorStore open(IndexConfig config) throws IOException {
        return VectorStore.open(dir, config);
    }
}
