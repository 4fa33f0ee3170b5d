package dev.hanul.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PiiFinder on the committed labelled set: precision and recall over the kinds each line holds. */
class PiiFinderTest {

    final PiiFinder finder = new PiiFinder();

    @Test
    void precisionAndRecallOnTheLabelledSet() {
        int truePositives = 0;
        int found = 0;
        int expected = 0;
        for (LabelledSet line : LabelledSet.read("/monitoring/pii-labelled.tsv")) {
            List<String> want = line.label().equals("-") ? List.of() : Arrays.asList(line.label().split(","));
            List<String> got = finder.find(line.text()).stream().map(f -> f.kind().name()).toList();
            expected += want.size();
            found += got.size();
            var remaining = new java.util.ArrayList<>(want);
            for (String kind : got) {
                if (remaining.remove(kind)) {
                    truePositives++;
                } else {
                    System.out.println("false positive " + kind + ": " + line.text());
                }
            }
            remaining.forEach(kind -> System.out.println("missed " + kind + ": " + line.text()));
        }
        double precision = (double) truePositives / found;
        double recall = (double) truePositives / expected;
        System.out.printf("PII finder: precision %.3f, recall %.3f (%d found, %d labelled)%n", precision, recall,
                found, expected);
        assertThat(precision).isGreaterThanOrEqualTo(0.9);
        assertThat(recall).isGreaterThanOrEqualTo(0.9);
    }

    @Test
    void luhnAndTheKoreanCheckDigitDecide() {
        assertThat(PiiFinder.luhn("4111111111111111")).isTrue();
        assertThat(PiiFinder.luhn("4111111111111112")).isFalse();
        assertThat(finder.find("900101-1234568")).extracting(PiiFinder.Found::kind)
                .containsExactly(PiiFinder.Kind.RRN);
        assertThat(finder.find("900101-1234567")).isEmpty();
    }
}
