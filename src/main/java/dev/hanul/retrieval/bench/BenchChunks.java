package dev.hanul.retrieval.bench;

import dev.hanul.index.ChunkDocument;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The chunks a retrieval benchmark indexed (ids, text, vector), kept in a file beside its index so that another
 * backend can be loaded with exactly the same input without embedding the corpus again (the slow part). A private
 * format of this benchmark: a version number, then per chunk its chunk id, document id, text and vector.
 */
final class BenchChunks {

    static final String FILE_NAME = "chunks.bin";
    private static final int VERSION = 1;

    private BenchChunks() {
    }

    /** Appends chunks to a new file; close to finish it. */
    static final class Writer implements AutoCloseable {
        private final DataOutputStream out;

        private Writer(DataOutputStream out) {
            this.out = out;
        }

        void write(ChunkDocument chunk) throws IOException {
            string(chunk.chunkId());
            string(chunk.documentId());
            string(chunk.text());
            out.writeInt(chunk.vector().length);
            for (float value : chunk.vector()) {
                out.writeFloat(value);
            }
        }

        // writeUTF stops at 64 KB; a chunk's text has no such bound.
        private void string(String value) throws IOException {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            out.writeInt(bytes.length);
            out.write(bytes);
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    static Writer writer(Path file) throws IOException {
        var out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
        out.writeInt(VERSION);
        return new Writer(out);
    }

    /** All chunks of the file, as chunks of {@code tenant}. */
    static List<ChunkDocument> read(Path file, String tenant) throws IOException {
        try (var in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + " is version " + version + " of the benchmark's chunk file, this build "
                        + "reads version " + VERSION + ": run the benchmark without --reuse-index to rebuild it");
            }
            var chunks = new ArrayList<ChunkDocument>();
            while (true) {
                String chunkId;
                try {
                    chunkId = string(in);
                } catch (EOFException end) {
                    return chunks;
                }
                String documentId = string(in);
                String text = string(in);
                float[] vector = new float[in.readInt()];
                for (int i = 0; i < vector.length; i++) {
                    vector[i] = in.readFloat();
                }
                chunks.add(new ChunkDocument(chunkId, documentId, tenant, text, vector, null));
            }
        }
    }

    private static String string(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
