package dev.hanul.chat;

import java.util.List;

/**
 * A source as the answer cites it: the marker the prompt gave it ({@code [1]}, {@code [2]}, … in prompt order) and
 * the passage behind it.
 *
 * @param span where the quoted text sits in the document's cleaned text; null when the index does not know
 * @param text the text the prompt quoted
 */
public record Citation(int marker, String documentId, List<String> chunkIds, String source, String heading,
                       double score, Span span, String text) {

    /** Character offsets: the first character, and after the last. */
    public record Span(int start, int end) {
    }

    static Citation of(int marker, Passage passage) {
        Span span = passage.start() == null || passage.end() == null ? null
                : new Span(passage.start(), passage.end());
        return new Citation(marker, passage.documentId(), passage.chunkIds(), passage.source(), passage.heading(),
                passage.score(), span, passage.text());
    }
}
