package dev.hanul.ingest;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /api/ingest/text}: documents given as text in JSON.
 *
 * @param tenant    optional; the X-Tenant-Id header does the same
 * @param metadata  metadata for every document of the request (a document's own metadata wins per key)
 */
public record TextDocumentRequest(String tenant, JsonNode metadata, List<TextDocument> documents) {

    /**
     * @param id        optional document id; by default derived from the source
     * @param source    where the text comes from (a file name, a URL); by default derived from the text
     * @param mediaType text/plain (default), text/markdown (default for a source ending in .md) or text/html
     */
    public record TextDocument(String id, String source, String mediaType, String text, JsonNode metadata) {
    }
}
