package dev.hanul.ingest.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import org.junit.jupiter.api.Test;

/** What extraction leaves behind and the cleaner removes, and what it must keep. */
class TextCleanerTest {

    private final TextCleaner cleaner = new TextCleaner();

    @Test
    void normalizesWhitespaceControlCharactersAndLigatures() {
        String raw = "\uFEFFThe\u00A0ﬁrst\u200B line\t\t has  gaps.\r\n\r\n\r\n\r\nNext\u0007 paragraph.";
        assertThat(cleaner.clean(raw, SupportedTypes.TEXT)).isEqualTo("The first line has gaps.\n\nNext paragraph.");
    }

    @Test
    void joinsWordsBrokenAtLineEndsAndRecomposesHangul() {
        String decomposed = Normalizer.normalize("한국어", Normalizer.Form.NFD);
        assertThat(cleaner.clean("an exam-\nple of " + decomposed, SupportedTypes.PDF))
                .isEqualTo("an example of 한국어");
    }

    @Test
    void dropsPageNumbersAndRunningHeadersOfPagedDocuments() {
        String pages = """
                ACME Corp — Confidential
                Revenue grew in the first quarter.
                Page 1 of 3
                ACME Corp — Confidential
                Costs fell in the second quarter.
                - 2 -
                ACME Corp — Confidential
                Margins improved.
                3 / 3""";
        assertThat(cleaner.clean(pages, SupportedTypes.PDF)).isEqualTo("""
                Revenue grew in the first quarter.
                Costs fell in the second quarter.
                Margins improved.""");
    }

    @Test
    void keepsRepeatedLinesOutsidePagedDocumentsAndKeepsHeadings() {
        String text = "# Step\n\nRepeat.\n\n# Step\n\nRepeat.\n\n# Step\n\nRepeat.";
        assertThat(cleaner.clean(text, SupportedTypes.MARKDOWN)).isEqualTo(text);
    }
}
