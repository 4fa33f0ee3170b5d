package dev.hanul.index;

import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

/** {@link TenantIsolationContract} on the embedded Lucene store. */
class TenantIsolationTest extends TenantIsolationContract {

    @TempDir
    Path dir;

    @Override
    VectorStore open(IndexConfig config) throws IOException {
        return VectorStore.open(dir, config);
    }
}
