package dev.hanul.index;

import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;

import java.util.Objects;

/**
 * The shape of an index's vectors and how its HNSW graph is built. Dimension and similarity are fixed when an index
 * is created (opening it later with others fails); graph parameters and quantization may change between opens and
 * apply to segments written from then on.
 *
 * @param dimension      number of floats in every vector
 * @param similarity     how vectors are compared
 * @param maxConnections HNSW "M": neighbours kept per node; more means better recall, more memory, slower writes
 * @param beamWidth      HNSW "efConstruction": candidates examined while linking a new node
 * @param quantization   whether the graph scores full floats or int8/int4 codes
 */
public record IndexConfig(int dimension, VectorSimilarity similarity, int maxConnections, int beamWidth,
                          Quantization quantization) {

    public static final int DEFAULT_MAX_CONNECTIONS = 16;
    public static final int DEFAULT_BEAM_WIDTH = 100;

    public IndexConfig {
        Objects.requireNonNull(similarity, "similarity");
        Objects.requireNonNull(quantization, "quantization");
        if (dimension < 1 || dimension > KnnVectorsFormat.DEFAULT_MAX_DIMENSIONS) {
            throw new IllegalArgumentException("vector dimension must be between 1 and "
                    + KnnVectorsFormat.DEFAULT_MAX_DIMENSIONS + " (Lucene's HNSW limit), got " + dimension);
        }
        if (maxConnections < 1 || maxConnections > Lucene99HnswVectorsFormat.MAXIMUM_MAX_CONN) {
            throw new IllegalArgumentException("HNSW maxConnections (M) must be between 1 and "
                    + Lucene99HnswVectorsFormat.MAXIMUM_MAX_CONN + ", got " + maxConnections);
        }
        if (beamWidth < 1 || beamWidth > Lucene99HnswVectorsFormat.MAXIMUM_BEAM_WIDTH) {
            throw new IllegalArgumentException("HNSW beamWidth must be between 1 and "
                    + Lucene99HnswVectorsFormat.MAXIMUM_BEAM_WIDTH + ", got " + beamWidth);
        }
    }

    /** Cosine similarity, M = 16, beam width 100, no quantization. */
    public static IndexConfig of(int dimension) {
        return new IndexConfig(dimension, VectorSimilarity.COSINE, DEFAULT_MAX_CONNECTIONS, DEFAULT_BEAM_WIDTH,
                Quantization.NONE);
    }

    public static IndexConfig of(int dimension, VectorSimilarity similarity) {
        return of(dimension).withSimilarity(similarity);
    }

    public IndexConfig withSimilarity(VectorSimilarity similarity) {
        return new IndexConfig(dimension, similarity, maxConnections, beamWidth, quantization);
    }

    public IndexConfig withHnsw(int maxConnections, int beamWidth) {
        return new IndexConfig(dimension, similarity, maxConnections, beamWidth, quantization);
    }

    public IndexConfig withQuantization(Quantization quantization) {
        return new IndexConfig(dimension, similarity, maxConnections, beamWidth, quantization);
    }
}
