package dev.hanul.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.index.Metadata;
import dev.hanul.index.SearchHit;
import dev.hanul.index.TextLanguage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceMergerTest {

    private static final String MANUAL = "Alpha starts the manual. Beta follows alpha. Gamma closes the first part. "
            + "Delta opens the second part. Epsilon ends it.";

    private final SourceMerger merger = new SourceMerger();

    @Test
    void overlappingChunksOfADocumentBecomeOnePassageInTheBestChunksPlace() {
        // Chunks 0 and 1 of the manual overlap by "Beta follows alpha."; the FAQ's chunk ranks between them.
        SearchHit second = chunk("manual", 1, 25, 73, 0.9);
        SearchHit faq = hit("faq", "faq#0", "The office opens at nine.", Map.of("source", "faq.txt",
                "chunkOrdinal", 0, "startOffset", 0, "endOffset", 25), 0.8);
        SearchHit first = chunk("manual", 0, 0, 44, 0.7);

        List<Passage> passages = merger.merge(List.of(second, faq, first));

        assertThat(passages).extracting(Passage::documentId).containsExactly("manual", "faq");
        Passage manual = passages.getFirst();
        assertThat(manual.text()).isEqualTo(MANUAL.substring(0, 73));
        assertThat(manual.chunkIds()).containsExactly("manual#0", "manual#1");
        assertThat(manual.start()).isZero();
        assertThat(manual.end()).isEqualTo(73);
        assertThat(manual.score()).isEqualTo(0.9);
        assertThat(manual.source()).isEqualTo("manual.txt");
    }

    @Test
    void adjacentChunksJoinAndDistantOnesStayApart() {
        // Chunk 1 ends at 73, chunk 2 starts after the space, at 74: adjacent. Chunk 4 is not next to chunk 2.
        List<Passage> passages = merger.merge(List.of(chunk("manual", 4, 103, 119, 0.9),
                chunk("manual", 2, 74, 102, 0.8), chunk("manual", 1, 45, 73, 0.7)));

        assertThat(passages).hasSize(2);
        assertThat(passages.get(0).chunkIds()).containsExactly("manual#4");
        assertThat(passages.get(1).chunkIds()).containsExactly("manual#1", "manual#2");
        assertThat(passages.get(1).text()).isEqualTo("Gamma closes the first part.\nDelta opens the second part.");
        assertThat(passages.get(1).start()).isEqualTo(45);
        assertThat(passages.get(1).end()).isEqualTo(102);
    }

    @Test
    void chunksWithoutOffsetsAreKeptAsTheyAre() {
        List<Passage> passages = merger.merge(List.of(hit("old", "old#0", "first", Map.of(), 0.5),
                hit("old", "old#1", "second", Map.of(), 0.4)));

        assertThat(passages).extracting(Passage::text).containsExactly("first", "second");
        assertThat(passages).extracting(Passage::start).containsOnlyNulls();
    }

    private static SearchHit chunk(String documentId, int ordinal, int start, int end, double score) {
        return hit(documentId, documentId + "#" + ordinal, MANUAL.substring(start, end), Map.of("source",
                documentId + ".txt", "chunkOrdinal", ordinal, "startOffset", start, "endOffset", end), score);
    }

    private static SearchHit hit(String documentId, String chunkId, String text, Map<String, Object> metadata,
            double score) {
        return new SearchHit(chunkId, documentId, "tenant", text, TextLanguage.ENGLISH,
                Metadata.of(new LinkedHashMap<>(metadata)), score, null, null);
    }
}
