package dev.hanul.index;

import java.nio.file.Path;
import java.util.Map;

/**
 * What an index holds and the configuration it was last written with, kept in the Lucene commit's user data so that
 * the index describes itself: a collection reopens with its own configuration, and opening an index with another
 * schema, dimension or similarity fails instead of corrupting it.
 *
 * @param schema which kind of documents the index holds ("chunks" or "vectors")
 */
record IndexIdentity(String schema, IndexConfig config) {

    private static final String SCHEMA = "hanul.schema";
    private static final String DIMENSION = "hanul.dimension";
    private static final String SIMILARITY = "hanul.similarity";
    private static final String MAX_CONNECTIONS = "hanul.hnsw.maxConnections";
    private static final String BEAM_WIDTH = "hanul.hnsw.beamWidth";
    private static final String QUANTIZATION = "hanul.quantization";

    static IndexIdentity read(Map<String, String> userData, Path where) {
        String schema = userData.get(SCHEMA);
        if (schema == null) {
            throw new IllegalStateException("the Lucene index at " + where + " was not written by Hanul's vector index"
                    + " (its commit has no " + SCHEMA + ")");
        }
        return new IndexIdentity(schema, new IndexConfig(Integer.parseInt(userData.get(DIMENSION)),
                VectorSimilarity.valueOf(userData.get(SIMILARITY)), Integer.parseInt(userData.get(MAX_CONNECTIONS)),
                Integer.parseInt(userData.get(BEAM_WIDTH)), Quantization.valueOf(userData.get(QUANTIZATION))));
    }

    Map<String, String> userData() {
        return Map.of(SCHEMA, schema,
                DIMENSION, Integer.toString(config.dimension()),
                SIMILARITY, config.similarity().name(),
                MAX_CONNECTIONS, Integer.toString(config.maxConnections()),
                BEAM_WIDTH, Integer.toString(config.beamWidth()),
                QUANTIZATION, config.quantization().name());
    }

    /**
     * Fails unless an index that is {@code this} may be opened as {@code wanted}. Graph parameters and quantization
     * may differ: Lucene records the vector format per segment.
     */
    void requireCompatible(IndexIdentity wanted, Path where) {
        if (!schema.equals(wanted.schema)) {
            throw new IllegalArgumentException("the index at " + where + " holds " + schema + ", not " + wanted.schema);
        }
        if (config.dimension() != wanted.config.dimension()) {
            throw new IllegalArgumentException("the index at " + where + " was created for vectors of dimension "
                    + config.dimension() + ", but was opened with dimension " + wanted.config.dimension());
        }
        if (config.similarity() != wanted.config.similarity()) {
            throw new IllegalArgumentException("the index at " + where + " was created with " + config.similarity()
                    + " similarity, but was opened with " + wanted.config.similarity());
        }
    }
}
