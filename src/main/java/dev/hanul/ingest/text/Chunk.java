package dev.hanul.ingest.text;

/**
 * A piece of a document's cleaned text, small enough to embed.
 *
 * @param ordinal 0-based position in the document; with the document id it makes the chunk's stable id
 * @param tokens  the embedding model's word pieces in {@code text}
 * @param start   offset of the first character in the cleaned text
 * @param end     offset after the last character
 * @param heading the headings the chunk sits under, outermost first, joined by " > "; null before any heading
 */
public record Chunk(int ordinal, String text, int tokens, int start, int end, String heading) {
}
