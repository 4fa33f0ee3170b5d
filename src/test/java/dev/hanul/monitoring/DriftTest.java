package dev.hanul.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.embedding.Embedder;
import dev.hanul.embedding.EmbeddingProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The prompt-embedding drift gauge with the real embedder: a stream drawn like the baseline stays under the
 * threshold; a stream on another topic, or in another language, crosses it.
 */
class DriftTest {

    static final MonitoringProperties.Drift SETTINGS = new MonitoringProperties.Drift(300, 150, 10, 16, 0.25);
    static Embedder embedder;
    static List<float[]> baseline;

    @BeforeAll
    static void load() {
        embedder = Embedder.load(EmbeddingProperties.bundled());
        baseline = embedder.embed(stories(new Random(1), SETTINGS.baselineSize()));
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    @Test
    void anUnshiftedStreamStaysUnderTheThreshold() {
        double psi = psiAfter(stories(new Random(2), SETTINGS.windowSize()));
        System.out.printf("drift PSI, unshifted stream: %.3f%n", psi);
        assertThat(psi).isLessThan(SETTINGS.threshold());
    }

    @Test
    void anotherTopicCrossesTheThreshold() {
        double psi = psiAfter(technical(new Random(3), SETTINGS.windowSize()));
        System.out.printf("drift PSI, technical questions: %.3f%n", psi);
        assertThat(psi).isGreaterThan(SETTINGS.threshold());
    }

    @Test
    void anotherLanguageCrossesTheThreshold() {
        double psi = psiAfter(korean(new Random(4), SETTINGS.windowSize()));
        System.out.printf("drift PSI, Korean questions: %.3f%n", psi);
        assertThat(psi).isGreaterThan(SETTINGS.threshold());
    }

    @Test
    void theGaugeIsNanUntilTheWindowIsFull() {
        var registry = new SimpleMeterRegistry();
        var drift = new DriftMonitor(SETTINGS, embedder.dimension(), registry);
        baseline.forEach(drift::addPromptEmbedding);
        assertThat(registry.get("hanul.drift.psi").tag("signal", "prompt_embedding").gauge().value()).isNaN();
        assertThat(registry.get("hanul.drift.threshold").gauge().value()).isEqualTo(0.25);
    }

    double psiAfter(List<String> recent) {
        var registry = new SimpleMeterRegistry();
        var drift = new DriftMonitor(SETTINGS, embedder.dimension(), registry);
        baseline.forEach(drift::addPromptEmbedding);
        embedder.embed(recent).forEach(drift::addPromptEmbedding);
        return registry.get("hanul.drift.psi").tag("signal", "prompt_embedding").gauge().value();
    }

    static List<String> stories(Random random, int count) {
        String[] who = {"a little rabbit", "a brave girl", "an old dragon", "a sleepy cat", "a tiny robot",
                "a kind farmer", "two best friends", "a lost puppy", "a curious fox", "a shy bear"};
        String[] what = {"finds a magic key", "learns to share", "goes to the sea", "is afraid of the dark",
                "bakes a cake", "plants a tree", "meets a new friend", "loses a red ball", "climbs a big hill",
                "helps the moon"};
        String[] form = {"Tell me a story about %s who %s.", "Once upon a time there was %s who %s.",
                "Write a bedtime story where %s %s.", "Can you tell a short tale of %s that %s?"};
        return generate(random, count, form, who, what);
    }

    static List<String> technical(Random random, int count) {
        String[] task = {"configure a reverse proxy", "rotate the TLS certificates", "tune the garbage collector",
                "set up a database replica", "debug a memory leak", "limit the request rate",
                "migrate the schema", "profile slow queries", "deploy with zero downtime", "back up the volumes"};
        String[] tool = {"Kubernetes", "nginx", "PostgreSQL", "the JVM", "Terraform", "Docker Compose", "Linux",
                "Prometheus", "Kafka", "Redis"};
        String[] form = {"How do I %s in %s?", "What is the best way to %s with %s?",
                "Explain how to %s on %s.", "Which settings matter when I %s using %s?"};
        return generate(random, count, form, task, tool);
    }

    static List<String> korean(Random random, int count) {
        String[] place = {"서울", "부산", "제주도", "대전", "광주", "인천", "강릉", "전주", "경주", "수원"};
        String[] topic = {"날씨", "맛집", "교통편", "숙소", "관광지", "축제", "시장", "박물관", "공원", "카페"};
        String[] form = {"%s의 %s 좀 알려 주세요.", "이번 주말 %s %s 추천해 주실 수 있나요?",
                "%s에서 가장 유명한 %s은 어디인가요?", "%s %s 정보가 궁금합니다."};
        return generate(random, count, form, place, topic);
    }

    static List<String> generate(Random random, int count, String[] forms, String[] first, String[] second) {
        var prompts = new ArrayList<String>(count);
        for (int i = 0; i < count; i++) {
            prompts.add(forms[random.nextInt(forms.length)].formatted(first[random.nextInt(first.length)],
                    second[random.nextInt(second.length)]));
        }
        return prompts;
    }
}
