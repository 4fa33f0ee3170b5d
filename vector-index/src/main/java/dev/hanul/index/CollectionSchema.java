package dev.hanul.index;

import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;

import java.io.IOException;
import java.util.List;

/**
 * How a collection record is laid out in Lucene: an id term, the vector, metadata fields. The vector is not stored
 * a second time as a stored field; {@link #vector} reads it back from the vector format, which keeps raw floats
 * even when the graph is quantized.
 */
final class CollectionSchema {

    static final String NAME = "vectors";
    static final String ID = "id";
    static final String VECTOR = "vector";

    private CollectionSchema() {
    }

    static Term id(String id) {
        return new Term(ID, id);
    }

    static Document toDocument(VectorRecord record, IndexConfig config) {
        var document = new Document();
        document.add(new StringField(ID, record.id(), Field.Store.YES));
        document.add(new KnnFloatVectorField(VECTOR, record.vector(), config.similarity().lucene()));
        MetadataFields.addTo(document, record.metadata());
        return document;
    }

    static VectorRecord toRecord(IndexSearcher searcher, int doc) throws IOException {
        Document stored = searcher.storedFields().document(doc);
        return new VectorRecord(stored.get(ID), vector(searcher, doc), MetadataFields.readFrom(stored));
    }

    static VectorMatch toMatch(IndexSearcher searcher, int doc, float score) throws IOException {
        Document stored = searcher.storedFields().document(doc);
        return new VectorMatch(stored.get(ID), score, MetadataFields.readFrom(stored));
    }

    private static float[] vector(IndexSearcher searcher, int doc) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        FloatVectorValues values = leaf.reader().getFloatVectorValues(VECTOR);
        KnnVectorValues.DocIndexIterator iterator = values.iterator();
        int target = doc - leaf.docBase;
        if (iterator.advance(target) != target) {
            throw new IllegalStateException("record in document " + doc + " has no vector");
        }
        return values.vectorValue(iterator.index()).clone();
    }
}
