package dev.hanul.chat;

import java.util.List;

/**
 * Text a prompt quotes from one document: one retrieved chunk, or several overlapping or adjacent chunks of the same
 * document merged into one.
 *
 * @param chunkIds the merged chunks, in document order
 * @param source   where the document came from (file name or the source the client gave)
 * @param heading  the headings the first chunk sits under; null when it has none
 * @param start    offset of the first character in the document's cleaned text; null when the index does not know
 *                 (documents ingested before chunks recorded their offsets)
 * @param end      offset after the last character; null when unknown
 * @param score    the best retrieval score among the merged chunks
 */
public record Passage(String documentId, List<String> chunkIds, String source, String heading, Integer start,
                      Integer end, String text, double score) {

    public Passage {
        chunkIds = List.copyOf(chunkIds);
    }
}
