package dev.hanul.rerank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hanul.engine.TestModels;
import org.junit.jupiter.api.Test;

/**
 * ms-marco-MiniLM-L-12-v2 (int8 ONNX, the copy the test setup unpacks; skipped when absent) against the logits that
 * Python's onnxruntime 1.23 and tokenizers gave for the same file and pairs (tokenizer.json with padding off and
 * truncation at 512, one pair per run): the Java tokenization of a query-passage pair and the token types must be the
 * same for the numbers to agree.
 */
class CrossEncoderTest {

    static final String MODEL = "offline/ms-marco-MiniLM-L-12-v2-int8/model.onnx";

    /**
     * The int8 kernels of the two ONNX Runtime builds round differently (up to 0.1 apart here); all-zero token types
     * (the embedder's inputs) move these logits by 0.85 and 1.0, a differently cut pair by whole units.
     */
    private static final double TOLERANCE = 0.25;

    private static final String QUERY = "How many days of paid vacation do employees get?";

    @Test
    void scoresPairsAsTheReferenceDoes() {
        try (CrossEncoder encoder = CrossEncoder.load(TestModels.require(MODEL), 0)) {
            assertThat(encoder.score(QUERY, "Full-time employees receive 25 days of paid vacation per year."))
                    .isCloseTo(9.6357, within(TOLERANCE));
            assertThat(encoder.score(QUERY, "The cafeteria serves bibimbap on Wednesdays."))
                    .isCloseTo(-11.2070, within(TOLERANCE));
            assertThat(encoder.score(QUERY, "Vacation days that are not used expire at the end of March of the "
                    + "following year.")).isCloseTo(-5.0885, within(TOLERANCE));
        }
    }

    @Test
    void anAnswerOutscoresAPassageThatOnlyRepeatsTheQuerysWords() {
        try (CrossEncoder encoder = CrossEncoder.load(TestModels.require(MODEL), 0)) {
            double stuffed = encoder.score(QUERY, "Vacation requests: employees submit paid vacation days in the "
                    + "vacation calendar. Questions about vacation go to HR.");
            double answer = encoder.score(QUERY, "Full-time staff receive 25 days of paid leave per year.");
            assertThat(stuffed).isCloseTo(1.9251, within(TOLERANCE));
            assertThat(answer).isCloseTo(5.0184, within(TOLERANCE)).isGreaterThan(stuffed);
        }
    }
}
