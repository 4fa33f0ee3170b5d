package dev.hanul.engine.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopStringsTest {

    @Test
    void findsAStopStringSplitAcrossDeltasAndNeverEmitsIt() {
        StopStrings stops = new StopStrings(List.of("</answer>"));
        StringBuilder out = new StringBuilder();
        for (String delta : new String[] {"Paris", " is it.<", "/ans", "wer> and more"}) {
            out.append(stops.push(delta));
        }
        out.append(stops.flush());
        assertThat(stops.stopped()).isTrue();
        assertThat(stops.matched()).isEqualTo("</answer>");
        assertThat(out).hasToString("Paris is it.");
    }

    @Test
    void textThatOnlyLooksLikeAStartIsReleased() {
        StopStrings stops = new StopStrings(List.of("\n\nUser:"));
        StringBuilder out = new StringBuilder();
        out.append(stops.push("one\n")).append(stops.push("\ntwo"));
        out.append(stops.flush());
        assertThat(stops.stopped()).isFalse();
        assertThat(stops.matched()).isNull();
        assertThat(out).hasToString("one\n\ntwo");
    }

    @Test
    void theEarliestOfSeveralStopsWins() {
        StopStrings stops = new StopStrings(List.of("END", "."));
        assertThat(stops.push("a. b END")).isEqualTo("a");
        assertThat(stops.matched()).as("the stop that ends the text, not the first listed").isEqualTo(".");
    }

    @Test
    void atTheSameStartTheFirstListedStopIsTheOneMatched() {
        StopStrings stops = new StopStrings(List.of("ab", "abc"));
        assertThat(stops.push("xabc")).isEqualTo("x");
        assertThat(stops.matched()).isEqualTo("ab");
    }

    @Test
    void withoutStopStringsEverythingPassesAtOnce() {
        StopStrings stops = new StopStrings(List.of());
        assertThat(stops.push("abc")).isEqualTo("abc");
    }
}
