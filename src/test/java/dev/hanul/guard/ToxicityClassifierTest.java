package dev.hanul.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Path;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The Java BiLSTM against the numpy reference forward pass of export_toxic_bilstm.py (its printed probabilities,
 * rounded to 3 decimals, for the same three sentences).
 */
class ToxicityClassifierTest {

    @Test
    void matchesTheNumpyReference() {
        Path model = GuardTestModels.toxicity();
        assumeThat(model).as(GuardTestModels.MISSING.formatted("models/offline/toxic-bilstm.json")).isNotNull();
        ToxicityClassifier classifier = ToxicityClassifier.load(model);
        assertThat(classifier.labels()).containsExactly("toxic", "severe_toxic", "obscene", "threat", "insult",
                "identity_hate");
        assertClose(classifier.classify("You are a stupid idiot and I hate you"),
                0.997, 0.204, 0.87, 0.03, 0.926, 0.135);
        assertClose(classifier.classify("Thank you for the helpful summary of the report."), 0.001, 0, 0, 0, 0, 0);
        assertClose(classifier.classify("회사 휴가 정책을 요약해 주세요."), 0.068, 0.002, 0.029, 0.001, 0.015, 0.004);
    }

    private static void assertClose(float[] actual, double... expected) {
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("label %d", i).isCloseTo(expected[i], Offset.offset(0.0006));
        }
    }
}
