package dev.hanul.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.TestModels;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Must-show 1: 1,000 conversations on a 90/10 split land 10% ± 3σ on the canary, each conversation stays on one
 * version, and a rollback moves all new traffic at once. Which version answered is told by the answer itself: the
 * two versions are different models, and greedy decoding makes each one's answer to the prompt fixed.
 */
class CanaryRolloutTest extends RegistryService {

    private static final int CONVERSATIONS = 1000;

    @Test
    void aSplitIsStickyPerConversationWeightedAndRolledBackAtOnce() {
        String stable = registerAndLoad("canary", copy(TestModels.STORIES, "canary-stable"));
        String candidate = registerAndLoad("canary", copy(TestModels.TINY_RANDOM, "canary-candidate"));
        expect(200, put("/api/admin/models/aliases/story", "{\"version\": \"%s\"}".formatted(stable),
                "X-Hanul-Actor", "alice"));
        Map<String, String> answers = Map.of(answer(stable, null), stable, answer(candidate, null), candidate);
        assertThat(answers).as("the two versions answer differently").hasSize(2);

        JsonNode split = expect(200, put("/api/admin/models/aliases/story", """
                {"targets": [{"version": "%s", "weight": 90}, {"version": "%s", "weight": 10}]}"""
                .formatted(stable, candidate), "X-Hanul-Actor", "alice"));
        assertThat(split.get("targets").get(1).get("weight").asInt()).isEqualTo(10);

        Map<String, String> first = route(answers);
        long onCanary = first.values().stream().filter(candidate::equals).count();
        double sigma = Math.sqrt(CONVERSATIONS * 0.1 * 0.9);
        assertThat((double) onCanary).as("conversations on the canary").isBetween(100 - 3 * sigma, 100 + 3 * sigma);
        assertThat(route(answers)).as("each conversation stays on its version").isEqualTo(first);

        JsonNode rolledBack = expect(200, post("/api/admin/models/aliases/story/rollback", "",
                "X-Hanul-Actor", "bob"));
        assertThat(rolledBack.get("targets")).hasSize(1);
        assertThat(rolledBack.get("targets").get(0).get("version").asString()).isEqualTo(stable);
        assertThat(route(answers).values()).as("every new request after the rollback").containsOnly(stable);

        List<JsonNode> history = json(get("/api/admin/models/aliases/story/history").body()).valueStream().toList();
        assertThat(history).extracting(change -> change.get("action").asString())
                .containsExactly("ALIAS_ROLLBACK", "ALIAS_SPLIT", "ALIAS_CREATE");
        assertThat(history.getFirst().get("actor").asString()).isEqualTo("bob");
        assertThat(history.getFirst().get("fromValue").asString()).isEqualTo(stable + "=90," + candidate + "=10");
        assertThat(history.getFirst().get("toValue").asString()).isEqualTo(stable);
        assertThat(history.get(1).get("actor").asString()).isEqualTo("alice");
        assertThat(history.getFirst().get("changedAt").asString()).isNotBlank();
        // The candidate is no alias's target any more: it drains and unloads.
        awaitPhase(candidate, dev.hanul.inference.ModelState.Phase.UNLOADED);
    }

    /** Sends each conversation's request through the alias; returns which version answered, by conversation. */
    private Map<String, String> route(Map<String, String> versionsByAnswer) {
        Map<String, String> served = new ConcurrentHashMap<>();
        IntStream.range(0, CONVERSATIONS).parallel().forEach(i -> {
            String key = "conversation-" + i;
            String answer = answer("story", key);
            String version = versionsByAnswer.get(answer);
            assertThat(version).as("answer %s of %s", answer, key).isNotNull();
            served.put(key, version);
        });
        return served;
    }

    /** The greedy completion of a fixed prompt by {@code model}, with {@code user} as the routing key. */
    private String answer(String model, String user) {
        JsonNode completion = expect(200, post("/v1/completions", """
                {"model": "%s", "prompt": "Once upon a time", "max_tokens": 6, "temperature": 0%s}"""
                .formatted(model, user == null ? "" : ", \"user\": \"" + user + "\"")));
        return completion.at("/choices/0/text").asString();
    }
}
