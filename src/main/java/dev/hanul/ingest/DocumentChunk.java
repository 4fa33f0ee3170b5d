package dev.hanul.ingest;

/**
 * A chunk of a stored document with its text as the index holds it ({@code GET /api/documents/{id}/chunks}).
 *
 * @param start offset of the chunk's first character in the document's cleaned text (citation spans use the same)
 * @param end   offset after its last character
 * @param text  the indexed text; null when the index lacks a chunk the metadata lists (a crash between the two)
 */
public record DocumentChunk(String chunkId, int ordinal, int tokens, int start, int end, String heading,
                            String text) {
}
