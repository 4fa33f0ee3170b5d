package dev.hanul.index;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Child process for {@link DurabilityTest}: indexes and commits documents of tenant "committed", prints
 * "committed", then keeps writing uncommitted documents of tenant "pending" until it is killed.
 */
public final class DurabilityWriter {

    static final int DIM = 4;

    private DurabilityWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args[0]);
        int documents = Integer.parseInt(args[1]);
        var random = new Random(1);
        var store = VectorStore.open(directory, IndexConfig.of(DIM));
        for (int d = 0; d < documents; d++) {
            store.replaceDocument("committed", "doc-" + d, List.of(chunk("committed", d, random)));
        }
        store.commit();
        System.out.println("committed");
        System.out.flush();
        for (int d = 0; ; d++) {
            store.replaceDocument("pending", "doc-" + d, List.of(chunk("pending", d, random)));
            Thread.sleep(1);
        }
    }

    static ChunkDocument chunk(String tenant, int document, Random random) {
        return new ChunkDocument("doc-" + document + "#0", "doc-" + document, tenant,
                "durable text of document " + document, TestVectors.unit(random, DIM), Metadata.EMPTY);
    }
}
