package dev.hanul.index;

import java.util.Random;

/** Seeded random vectors for tests. */
final class TestVectors {

    private TestVectors() {
    }

    /** A random unit vector: valid for every similarity. */
    static float[] unit(Random random, int dimension) {
        float[] vector = new float[dimension];
        double squared = 0;
        for (int i = 0; i < dimension; i++) {
            vector[i] = (float) random.nextGaussian();
            squared += vector[i] * vector[i];
        }
        float norm = (float) Math.sqrt(squared);
        for (int i = 0; i < dimension; i++) {
            vector[i] /= norm;
        }
        return vector;
    }

    static ChunkDocument chunk(String tenant, String documentId, String chunkId, String text, float[] vector,
                               Metadata metadata) {
        return new ChunkDocument(chunkId, documentId, tenant, text, vector, metadata);
    }
}
