package dev.hanul.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedder against an independent reference: langchain4j's own model class, which runs the same ONNX file
 * with its own tokenization and pooling code.
 */
class EmbedderTest {

    private static final List<String> TEXTS = List.of(
            "Hanul ingests documents and answers questions about them.",
            "벡터 검색은 의미가 비슷한 문장을 찾습니다.",
            "short",
            "The quick brown fox jumps over the lazy dog. ".repeat(12));

    private static Embedder embedder;

    @BeforeAll
    static void load() {
        embedder = Embedder.load(EmbeddingProperties.bundled());
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    @Test
    void matchesLangchain4jsReferenceImplementation() {
        var reference = new AllMiniLmL6V2QuantizedEmbeddingModel();
        List<float[]> ours = embedder.embed(TEXTS);
        for (int i = 0; i < TEXTS.size(); i++) {
            float[] theirs = reference.embed(TextSegment.from(TEXTS.get(i))).content().vector();
            assertThat(dot(ours.get(i), theirs)).as("cosine to the reference for text %d", i).isGreaterThan(0.9999);
        }
    }

    @Test
    void aVectorDoesNotDependOnTheOtherTextsOfItsBatch() {
        List<float[]> batched = embedder.embed(TEXTS);
        for (int i = 0; i < TEXTS.size(); i++) {
            assertThat(batched.get(i)).containsExactly(embedder.embed(TEXTS.get(i)));
        }
    }

    @Test
    void vectorsHaveUnitLengthAndSimilarTextsAreCloser() {
        float[] cat = embedder.embed("The cat sleeps on the sofa.");
        float[] kitten = embedder.embed("A kitten is napping on the couch.");
        float[] tax = embedder.embed("Quarterly tax filings are due in April.");
        assertThat(cat).hasSize(Embedder.DIMENSION);
        assertThat(dot(cat, cat)).isCloseTo(1, within(1e-4));
        assertThat(dot(cat, kitten)).isGreaterThan(dot(cat, tax));
    }

    @Test
    void countsWordPiecesWithoutSpecialTokens() {
        assertThat(embedder.countTokens("hello world")).isEqualTo(2);
        assertThat(embedder.countTokens("")).isZero();
        // Never truncated, unlike what the model sees.
        assertThat(embedder.countTokens("word ".repeat(1000))).isEqualTo(1000);
    }

    @Test
    void countsTheSameWordPiecesAsTheTokenizersFullEncoding() throws IOException {
        try (InputStream json = Embedder.class.getResourceAsStream("/all-minilm-l6-v2-q-tokenizer.json");
             HuggingFaceTokenizer reference = HuggingFaceTokenizer.newInstance(json, Map.of("padding", "false",
                     "truncation", "false", "addSpecialTokens", "false"))) {
            for (String text : MultilingualEmbedderTest.COUNTED) {
                assertThat(embedder.countTokens(text)).as("word pieces of %s", text)
                        .isEqualTo(reference.encode(text, false, false).getIds().length);
            }
        }
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
