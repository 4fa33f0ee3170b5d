package dev.hanul.index;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues.ScalarEncoding;

/**
 * The codec that writes vectors with the configured HNSW parameters. Lucene records the vector format's name per
 * field and segment, so an index written with one configuration still reads after the configuration changes.
 */
final class IndexCodec {

    private IndexCodec() {
    }

    static Codec of(IndexConfig config) {
        KnnVectorsFormat vectors = vectorsFormat(config);
        return new Lucene104Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return vectors;
            }
        };
    }

    private static KnnVectorsFormat vectorsFormat(IndexConfig config) {
        int m = config.maxConnections();
        int beam = config.beamWidth();
        return switch (config.quantization()) {
            case NONE -> new Lucene99HnswVectorsFormat(m, beam);
            case INT8 -> new Lucene104HnswScalarQuantizedVectorsFormat(ScalarEncoding.UNSIGNED_BYTE, m, beam);
            case INT4 -> new Lucene104HnswScalarQuantizedVectorsFormat(ScalarEncoding.PACKED_NIBBLE, m, beam);
        };
    }
}
