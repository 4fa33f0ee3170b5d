package dev.hanul.ingest;

import dev.hanul.api.JsonMetadata;
import dev.hanul.index.Metadata;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A client's metadata for a document (see {@link JsonMetadata}). Every key becomes a filterable field of the
 * document's chunks, next to the ones Hanul sets ({@link #RESERVED}).
 *
 * @param values String, Long or Double values, or lists of them; booleans are kept as the strings "true"/"false"
 */
public record DocumentMetadata(Map<String, Object> values) {

    public static final DocumentMetadata EMPTY = new DocumentMetadata(Map.of());

    /** The chunk's 0-based position in its document. */
    public static final String CHUNK_ORDINAL = "chunkOrdinal";
    /** Character offsets of the chunk in the document's cleaned text: first character, and after the last. */
    public static final String START_OFFSET = "startOffset";
    public static final String END_OFFSET = "endOffset";

    /** Keys Hanul sets on every chunk itself. */
    public static final Set<String> RESERVED = Set.of("documentId", "source", "mediaType", "title", "heading",
            "ingestedAt", CHUNK_ORDINAL, START_OFFSET, END_OFFSET);

    public DocumentMetadata {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * Validates a JSON object from a request (see {@link JsonMetadata}).
     *
     * @param field how the request names it ("metadata", "documents[2].metadata"), for the error message
     * @throws IllegalArgumentException naming the offending field and what to send instead
     */
    public static DocumentMetadata of(JsonNode node, String field) {
        Map<String, Object> values = JsonMetadata.values(node, field);
        for (String key : values.keySet()) {
            if (RESERVED.contains(key)) {
                throw new IllegalArgumentException(field + "." + key + " is set by Hanul itself; reserved keys are "
                        + RESERVED + ". Rename the key.");
            }
        }
        return new DocumentMetadata(values);
    }

    /** Parses and validates metadata given as a JSON string (a multipart form field). */
    public static DocumentMetadata parse(String json, String field, ObjectMapper mapper) {
        if (json == null || json.isBlank()) {
            return EMPTY;
        }
        try {
            return of(mapper.readTree(json), field);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(field + " is not valid JSON (" + e.getOriginalMessage() + "). Send a "
                    + "JSON object such as {\"tags\": [\"manual\"], \"year\": 2024}.");
        }
    }

    /** Reads metadata this class wrote ({@link #toJson}). */
    public static DocumentMetadata fromJson(String json, ObjectMapper mapper) {
        return of(mapper.readTree(json), "metadata");
    }

    public String toJson(ObjectMapper mapper) {
        return mapper.writeValueAsString(values);
    }

    /** These values, with the other's winning where both have a key. */
    public DocumentMetadata with(DocumentMetadata other) {
        var merged = new LinkedHashMap<>(values);
        merged.putAll(other.values);
        return new DocumentMetadata(merged);
    }

    /** The chunk metadata for the index: these values plus the ones Hanul sets. */
    public Metadata toIndex(Map<String, Object> system) {
        var all = new LinkedHashMap<String, Object>(values);
        system.forEach((key, value) -> {
            if (value != null) {
                all.put(key, value);
            }
        });
        return Metadata.of(all);
    }
}
