package dev.hanul.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The port gives the compound score the PyPI package vaderSentiment 3.3.2 gives, on its own examples and on a case
 * per rule (boosters, negation, capitals, "but", "least", idioms, punctuation, emojis); the package rounds to four
 * places (fixture: src/test/resources/monitoring/make_vader_fixture.py).
 */
class VaderSentimentTest {

    private final VaderSentiment vader = VaderSentiment.load();

    @Test
    void compoundScoresEqualThePackage() throws IOException {
        int checked = 0;
        try (InputStream in = getClass().getResourceAsStream("/monitoring/vader_compound.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                int tab = line.lastIndexOf('\t');
                String sentence = line.substring(0, tab);
                double expected = Double.parseDouble(line.substring(tab + 1));
                assertThat(vader.compound(sentence)).as(sentence).isCloseTo(expected, within(0.00005 + 1e-9));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(60);
    }
}
