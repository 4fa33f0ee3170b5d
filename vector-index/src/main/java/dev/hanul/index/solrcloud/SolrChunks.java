package dev.hanul.index.solrcloud;

import dev.hanul.index.ChunkDocument;
import dev.hanul.index.Metadata;
import dev.hanul.index.MetadataValue;
import dev.hanul.index.MetadataValue.DoubleValue;
import dev.hanul.index.MetadataValue.Keyword;
import dev.hanul.index.MetadataValue.LongValue;
import dev.hanul.index.MetadataValue.Timestamp;
import dev.hanul.index.RetrieverRank;
import dev.hanul.index.SearchHit;
import dev.hanul.index.TextLanguage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;

/**
 * How a chunk is laid out in a Solr document: the fields of the embedded store's ChunkSchema and MetadataFields
 * (schema.xml beside this class), plus an id that routes the chunk. With tenants co-located the id starts with
 * {@code <tenant>!}, SolrCloud's compositeId prefix, so all chunks of a tenant hash to one shard and its searches ask
 * that shard only; the parts are URL-encoded, so no tenant or document id can contain the separators.
 */
final class SolrChunks {

    static final String ID = "id";
    static final String CHUNK_ID = "chunk_id";
    static final String DOCUMENT_ID = "document_id";
    static final String TENANT = "tenant";
    static final String DOCUMENT_KEY = "document_key";
    static final String LANGUAGE = "language";
    static final String WRITTEN = "written";
    static final String TEXT = "text";
    static final String VECTOR = "vector";
    static final String ENGLISH_TEXT = "text_en_stemmed";
    static final String KOREAN_TEXT = "text_ko";
    /** What a search returns per hit: everything but the vector. */
    static final String RETURNED = "id,chunk_id,document_id,tenant,text,language,m.*,score";

    private static final String METADATA_PREFIX = "m.";

    private final boolean coLocateTenants;

    SolrChunks(boolean coLocateTenants) {
        this.coLocateTenants = coLocateTenants;
    }

    /** The compositeId prefix of the tenant's chunks ({@code _route_} of its searches), or null when spread. */
    String route(String tenant) {
        return coLocateTenants ? encode(tenant) + "!" : null;
    }

    String id(String tenant, String documentId, String chunkId) {
        String document = encode(documentId) + "/" + encode(chunkId);
        return coLocateTenants ? route(tenant) + document : encode(tenant) + "/" + document;
    }

    static String documentKey(String tenant, String documentId) {
        // The length prefix makes the key unambiguous whatever characters tenant and document id contain.
        return tenant.length() + ":" + tenant + documentId;
    }

    SolrInputDocument toSolr(ChunkDocument chunk, long written) {
        var document = new SolrInputDocument();
        document.addField(ID, id(chunk.tenant(), chunk.documentId(), chunk.chunkId()));
        document.addField(CHUNK_ID, chunk.chunkId());
        document.addField(DOCUMENT_ID, chunk.documentId());
        document.addField(TENANT, chunk.tenant());
        document.addField(DOCUMENT_KEY, documentKey(chunk.tenant(), chunk.documentId()));
        document.addField(LANGUAGE, TextLanguage.detect(chunk.text()).code());
        document.addField(WRITTEN, written);
        document.addField(TEXT, chunk.text());
        for (TextLanguage language : TextLanguage.present(chunk.text())) {
            document.addField(language == TextLanguage.KOREAN ? KOREAN_TEXT : ENGLISH_TEXT, chunk.text());
        }
        var vector = new ArrayList<Float>(chunk.vector().length);
        for (float value : chunk.vector()) {
            vector.add(value);
        }
        document.addField(VECTOR, vector);
        chunk.metadata().values().forEach((key, values) -> values.forEach(value ->
                document.addField(metadataField(key, value), indexedValue(value))));
        return document;
    }

    static SearchHit toHit(SolrDocument document, double score, RetrieverRank textRank, RetrieverRank vectorRank) {
        return new SearchHit((String) document.getFirstValue(CHUNK_ID), (String) document.getFirstValue(DOCUMENT_ID),
                (String) document.getFirstValue(TENANT), (String) document.getFirstValue(TEXT),
                language((String) document.getFirstValue(LANGUAGE)), metadata(document), score, textRank, vectorRank);
    }

    static String metadataField(String key, MetadataValue value) {
        char type = switch (value) {
            case Keyword k -> 's';
            case LongValue l -> 'l';
            case DoubleValue d -> 'd';
            case Timestamp t -> 't';
        };
        return METADATA_PREFIX + type + "." + key;
    }

    /** The value as Solr indexes it: timestamps as epoch milliseconds. */
    static Object indexedValue(MetadataValue value) {
        return switch (value) {
            case Keyword(String s) -> s;
            case LongValue(long l) -> l;
            case DoubleValue(double d) -> d;
            case Timestamp(Instant t) -> t.toEpochMilli();
        };
    }

    private static Metadata metadata(SolrDocument document) {
        Map<String, List<MetadataValue>> values = new LinkedHashMap<>();
        for (String name : document.getFieldNames()) {
            if (!name.startsWith(METADATA_PREFIX)) {
                continue;
            }
            char type = name.charAt(METADATA_PREFIX.length());
            String key = name.substring(METADATA_PREFIX.length() + 2);
            Collection<Object> stored = document.getFieldValues(name);
            var list = values.computeIfAbsent(key, k -> new ArrayList<>());
            for (Object value : stored) {
                list.add(switch (type) {
                    case 's' -> new Keyword((String) value);
                    case 'l' -> new LongValue(((Number) value).longValue());
                    case 'd' -> new DoubleValue(((Number) value).doubleValue());
                    case 't' -> new Timestamp(Instant.ofEpochMilli(((Number) value).longValue()));
                    default -> throw new IllegalStateException("unknown metadata field type in field " + name);
                });
            }
        }
        return values.isEmpty() ? Metadata.EMPTY : new Metadata(values);
    }

    private static TextLanguage language(String code) {
        for (TextLanguage language : TextLanguage.values()) {
            if (language.code().equals(code)) {
                return language;
            }
        }
        return TextLanguage.ENGLISH;
    }

    private static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8);
    }
}
