package dev.hanul.index;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.ko.KoreanAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.QueryBuilder;

import java.util.List;
import java.util.Map;

/**
 * How a chunk is laid out in Lucene. The text is stored once and indexed into the BM25 field of each language it is
 * written in ({@code text_en_stemmed} with EnglishAnalyzer: Porter stemming, possessives and stop words dropped;
 * {@code text_ko} with Nori), so a chunk in both languages is found by queries in either; a text query searches
 * every field, each analyzed its own way, so a query finds chunks without knowing their language. {@code text_en}
 * is the unstemmed English field of indexes written before stemming: still searched, so their chunks stay findable
 * until they are ingested again.
 */
final class ChunkSchema {

    static final String NAME = "chunks";
    static final String CHUNK_ID = "chunk_id";
    static final String DOCUMENT_ID = "document_id";
    static final String TENANT = "tenant";
    static final String TEXT = "text";
    static final String LANGUAGE = "language";
    static final String VECTOR = "vector";
    /** Tenant and document id in one term, so replace and delete never reach another tenant's document. */
    private static final String DOCUMENT_KEY = "document_key";

    private ChunkSchema() {
    }

    /** The unstemmed English field of older indexes (StandardAnalyzer). */
    static final String LEGACY_ENGLISH_TEXT = "text_en";

    static String textField(TextLanguage language) {
        return language == TextLanguage.ENGLISH ? "text_en_stemmed" : "text_" + language.code();
    }

    /** EnglishAnalyzer and Nori for their fields; StandardAnalyzer for the legacy English field. */
    static Analyzer analyzer() {
        return new PerFieldAnalyzerWrapper(new StandardAnalyzer(),
                Map.of(textField(TextLanguage.KOREAN), new KoreanAnalyzer(),
                        textField(TextLanguage.ENGLISH), new EnglishAnalyzer()));
    }

    static Term documentKey(String tenant, String documentId) {
        // The length prefix makes the key unambiguous whatever characters tenant and document id contain.
        return new Term(DOCUMENT_KEY, tenant.length() + ":" + tenant + documentId);
    }

    static Query tenant(String tenant) {
        return new TermQuery(new Term(TENANT, tenant));
    }

    static Document toDocument(ChunkDocument chunk, IndexConfig config) {
        TextLanguage language = TextLanguage.detect(chunk.text());
        var document = new Document();
        document.add(new StringField(CHUNK_ID, chunk.chunkId(), Field.Store.YES));
        document.add(new StringField(DOCUMENT_ID, chunk.documentId(), Field.Store.YES));
        document.add(new StringField(TENANT, chunk.tenant(), Field.Store.YES));
        document.add(new StringField(DOCUMENT_KEY, documentKey(chunk.tenant(), chunk.documentId()).text(),
                Field.Store.NO));
        document.add(new StringField(LANGUAGE, language.code(), Field.Store.YES));
        document.add(new StoredField(TEXT, chunk.text()));
        for (TextLanguage written : TextLanguage.present(chunk.text())) {
            document.add(new TextField(textField(written), chunk.text(), Field.Store.NO));
        }
        document.add(new KnnFloatVectorField(VECTOR, chunk.vector(), config.similarity().lucene()));
        MetadataFields.addTo(document, chunk.metadata());
        return document;
    }

    /** A BM25 query over both language fields, or null when the text has no searchable terms. */
    static Query textQuery(String text, Analyzer analyzer) {
        var builder = new QueryBuilder(analyzer);
        var query = new BooleanQuery.Builder();
        boolean any = false;
        for (String field : List.of(textField(TextLanguage.ENGLISH), textField(TextLanguage.KOREAN),
                LEGACY_ENGLISH_TEXT)) {
            Query perField = builder.createBooleanQuery(field, text);
            if (perField != null) {
                query.add(perField, BooleanClause.Occur.SHOULD);
                any = true;
            }
        }
        return any ? query.build() : null;
    }

    static SearchHit toHit(Document stored, double score, RetrieverRank textRank, RetrieverRank vectorRank) {
        return new SearchHit(stored.get(CHUNK_ID), stored.get(DOCUMENT_ID), stored.get(TENANT), stored.get(TEXT),
                TextLanguage.ofCode(stored.get(LANGUAGE)), MetadataFields.readFrom(stored), score, textRank,
                vectorRank);
    }
}
