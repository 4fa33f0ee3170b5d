package dev.hanul.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.TestModels;
import dev.hanul.ingest.text.FormatSamples;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The service as it ships: multilingual-e5-small embeds, Korean and English documents of several formats share one
 * space, and a table row found by search still names its columns. Runs on the test copy of the model (see README,
 * "Test models"); disabled when it is absent.
 */
@EnabledIf("modelPresent")
@TestPropertySource(properties = "hanul.data-dir=target/test-data/multilingual")
class MultilingualIngestTest extends IngestTestSupport {

    static boolean modelPresent() {
        return TestModels.find(dev.hanul.embedding.MultilingualEmbedderTest.INT8).isPresent();
    }

    @DynamicPropertySource
    static void embeddingModel(DynamicPropertyRegistry registry) {
        registry.add("hanul.embedding.model", () -> "multilingual-e5-small");
        registry.add("hanul.embedding.path", () -> TestModels.find(dev.hanul.embedding.MultilingualEmbedderTest.INT8)
                .orElseThrow().toString());
    }

    @Test
    void koreanAndEnglishDocumentsAnswerQueriesInEitherLanguage() {
        String tenant = "ml-" + UUID.randomUUID();
        String job = upload(tenant, Map.of(
                "휴가규정.hwp", FormatSamples.hwp("정규직 직원은 매년 15일의 유급 연차 휴가를 받는다. 연차는 다음 해로 이월할 수 없다."),
                "sales.xlsx", FormatSamples.workbook(false, List.of("Region", "Quarter", "Revenue"),
                        List.of(List.of("Seoul", "Q1", 120), List.of("Busan", "Q1", 75))),
                "oncall.txt", "보안 교육은 매년 3월에 실시합니다. Security trainings are held every March for all staff."
                        .getBytes(StandardCharsets.UTF_8),
                "cafeteria.md", "# Cafeteria\n\nThe cafeteria serves bibimbap on Wednesdays.\n"
                        .getBytes(StandardCharsets.UTF_8)), null);
        JobView done = awaitJob(tenant, job);
        assertThat(done.errors()).isEmpty();

        // A Korean question finds the Korean leave policy (an HWP file) by meaning.
        assertThat(search(tenant, searchJson("연차 휴가는 며칠인가요?", "vector")).getFirst().get("source"))
                .isEqualTo("휴가규정.hwp");
        // Across languages: a question ranks the document of the other language that answers it above the unrelated
        // ones. (The two-language document draws cross-language questions too: with this small model it can come first.)
        List<Object> leave = search(tenant, searchJson("How many days of paid annual leave do employees get?",
                "vector")).stream().map(hit -> hit.get("source")).toList();
        assertThat(leave.indexOf("휴가규정.hwp")).isLessThan(leave.indexOf("cafeteria.md"))
                .isLessThan(leave.indexOf("sales.xlsx"));
        List<Object> lunch = search(tenant, searchJson("수요일 점심 메뉴는 무엇인가요?", "vector")).stream()
                .map(hit -> hit.get("source")).toList();
        assertThat(lunch.indexOf("cafeteria.md")).isLessThan(lunch.indexOf("휴가규정.hwp"))
                .isLessThan(lunch.indexOf("sales.xlsx"));
        // BM25 finds the two-language document in both languages, English by its stemmed forms.
        assertThat(search(tenant, searchJson("security training", "bm25")).getFirst().get("source"))
                .isEqualTo("oncall.txt");
        assertThat(search(tenant, searchJson("보안 교육", "bm25")).getFirst().get("source")).isEqualTo("oncall.txt");
        // A table row keeps its header.
        List<Map<String, Object>> busan = search(tenant, searchJson("Busan revenue", "hybrid"));
        assertThat(busan.getFirst().get("source")).isEqualTo("sales.xlsx");
        assertThat((String) busan.getFirst().get("text")).contains("Region: Busan | Quarter: Q1 | Revenue: 75");
    }
}
