package dev.hanul.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.TestModels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Must-show 3: a shadow version gets a copy of each request of the alias; its answers are recorded next to the
 * primary's for the same requests, and clients see only the primary's.
 */
class ShadowTrafficTest extends RegistryService {

    private static final int REQUESTS = 5;

    @Test
    void theCandidatesAnswersAreRecordedNextToThePrimarysAndNeverReturned() {
        String primary = registerAndLoad("shadowed", copy(TestModels.STORIES, "shadow-primary"));
        String candidate = registerAndLoad("shadowed", copy(TestModels.TINY_RANDOM, "shadow-candidate"));
        expect(200, put("/api/admin/models/aliases/tales", "{\"version\": \"%s\"}".formatted(primary)));
        String primaryAlone = text(completion(primary, "Once upon a time"));
        String candidateAlone = text(completion(candidate, "Once upon a time"));
        assertThat(candidateAlone).isNotEqualTo(primaryAlone);

        JsonNode shadowed = expect(200, put("/api/admin/models/aliases/tales/shadow",
                "{\"version\": \"%s\"}".formatted(candidate), "X-Hanul-Actor", "carol"));
        assertThat(shadowed.get("shadow").asString()).isEqualTo(candidate);

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            JsonNode answer = completion("tales", "Once upon a time");
            assertThat(text(answer)).as("the client gets the primary's answer").isEqualTo(primaryAlone);
            ids.add(answer.get("id").asString());
        }

        Awaitility.await("shadow results").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> json(get("/api/admin/models/shadow-results?alias=tales").body()).size() == REQUESTS);
        JsonNode results = json(get("/api/admin/models/shadow-results?alias=tales").body());
        for (JsonNode result : results) {
            assertThat(result.get("primaryId").asString()).isEqualTo(primary);
            assertThat(result.get("shadowId").asString()).isEqualTo(candidate);
            assertThat(result.get("primaryText").asString()).isEqualTo(primaryAlone);
            assertThat(result.get("primaryEnd").asString()).isEqualTo("length");
            assertThat(result.get("shadowText").asString()).as("the candidate's own answer").isNotBlank()
                    .isNotEqualTo(primaryAlone);
            assertThat(result.get("shadowEnd").asString()).doesNotStartWith("failed");
        }
        assertThat(results.valueStream().map(result -> result.get("requestId").asString()).distinct().count())
                .as("one record per request").isEqualTo(REQUESTS);

        JsonNode change = json(get("/api/admin/models/aliases/tales/history").body()).get(0);
        assertThat(change.get("action").asString()).isEqualTo("SHADOW_SET");
        assertThat(change.get("actor").asString()).isEqualTo("carol");
        assertThat(change.get("toValue").asString()).isEqualTo(candidate);
    }

    private JsonNode completion(String model, String prompt) {
        return expect(200, post("/v1/completions", """
                {"model": "%s", "prompt": "%s", "max_tokens": 8, "temperature": 0}""".formatted(model, prompt)));
    }

    private static String text(JsonNode completion) {
        return completion.at("/choices/0/text").asString();
    }
}
