package dev.hanul.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.hanul.engine.TestModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * multilingual-e5-small, the default model, on the copy the test setup converts (see README, "Test models"; skipped
 * when it is absent). The fp32 file is checked against the similarities the offline-models smoke program printed for
 * the same texts (its own tokenizer call, pooling and normalisation, in one file); the int8 file, which the product
 * runs, must rank the same way.
 */
public class MultilingualEmbedderTest {

    public static final String INT8 = "offline/e5-onnx/model-int8.onnx";
    static final String FP32 = "offline/e5-onnx/model.onnx";

    private static final String QUERY = "연차 휴가는 며칠인가요?";
    private static final List<String> PASSAGES = List.of(
            "정규직 직원은 매년 15일의 유급 연차 휴가를 받습니다.",
            "Full-time employees receive 15 days of paid annual leave each year.",
            "서버 장애 발생 시 온콜 엔지니어에게 즉시 연락하십시오.");

    private static Embedder load(String file) {
        Path path = TestModels.require(file);
        return Embedder.load(new EmbeddingProperties(EmbeddingModel.MULTILINGUAL_E5_SMALL.id(), path.toString(), true,
                0), path);
    }

    @Test
    void fp32MatchesTheReferenceSimilarities() {
        try (Embedder embedder = load(FP32)) {
            float[] query = embedder.embedQuery(QUERY);
            List<float[]> passages = embedder.embedPassages(PASSAGES);
            assertThat(dot(query, passages.get(0))).isCloseTo(0.888, within(0.0015));
            assertThat(dot(query, passages.get(1))).isCloseTo(0.751, within(0.0015));
            assertThat(dot(query, passages.get(2))).isCloseTo(0.800, within(0.0015));
        }
    }

    @Test
    void countsTheSameWordPiecesAsTheTokenizersFullEncoding() {
        Path path = TestModels.require(INT8);
        try (Embedder embedder = load(INT8);
             HuggingFaceTokenizer reference = OnnxTransformer.tokenizerBeside(path, Map.of("padding", "false",
                     "truncation", "false", "addSpecialTokens", "false"))) {
            for (String text : COUNTED) {
                assertThat(embedder.countTokens(text)).as("word pieces of %s", text)
                        .isEqualTo(reference.encode(text, false, false).getIds().length);
            }
        }
    }

    /** Texts whose word pieces are counted: both languages, whitespace at either end, markup, an empty one. */
    static final List<String> COUNTED = List.of("", " ", "hello world", "  leading and trailing  \n",
            "정규직 직원은 매년 15일의 유급 연차 휴가를 받습니다.", "# 제목\n\n| a | b |\n|---|---|\n| 1 | 2 |",
            "Mixed 한국어 and English, with numbers 3.14 and an e-mail someone@example.com.",
            "word ".repeat(600), "https://example.com/a/very/long/url?with=query&and=more#fragment");

    @Test
    void int8FindsTheKoreanAndTheEnglishAnswerAboveTheUnrelatedPassage() {
        try (Embedder embedder = load(INT8)) {
            assertThat(embedder.id()).isEqualTo("multilingual-e5-small");
            assertThat(embedder.maxTokens()).isEqualTo(512);
            float[] query = embedder.embedQuery(QUERY);
            List<float[]> passages = embedder.embedPassages(PASSAGES);
            assertThat(query).hasSize(384);
            assertThat(dot(query, query)).isCloseTo(1.0, within(1e-4));
            assertThat(dot(query, passages.get(0))).isGreaterThan(dot(query, passages.get(2)));
            float[] english = embedder.embedQuery("How many days of annual leave do I get?");
            assertThat(dot(english, passages.get(0))).isGreaterThan(dot(english, passages.get(2)));
            assertThat(dot(english, passages.get(1))).isGreaterThan(dot(english, passages.get(2)));
        }
    }

    static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
