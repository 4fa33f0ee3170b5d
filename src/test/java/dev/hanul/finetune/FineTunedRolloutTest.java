package dev.hanul.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hanul.api.TestTenants;
import dev.hanul.engine.TestModels;
import dev.hanul.inference.ModelState;
import dev.hanul.inference.ServedTestModel;
import dev.hanul.registry.ModelRegistry;
import dev.hanul.split.StickySplit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A fine-tuning job's adapter goes through the registry like any version: a canary share of an alias (split by the
 * routing key's hash, so the share of each request is known in advance), a shadow that sees every request without
 * changing any answer, and a rollback that returns all traffic to the base. The job evaluates the base version
 * before training and the adapter after, on its held-out examples, and its numbers are those of the answers the
 * models give (checked here against answers asked for directly and scored by SQuAD's rules written out again).
 */
@ServedTestModel(TestModels.STORIES)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=" + FineTunedRolloutTest.DATA, "hanul.model.threads=1",
                "hanul.registry.drain-grace=300ms"})
class FineTunedRolloutTest {

    static final String DATA = "target/test-data/finetune-rollout";

    static {
        // A fresh registry and job table for each run: aliases, versions and shadow results of an earlier run would
        // be loaded again.
        deleteTree(Path.of(DATA));
        deleteTree(Path.of(DATA + "-files"));
    }

    static final String MODEL = "stories260K-f32";
    static final String BASE = MODEL + "@1";
    static final String QUESTION = "What did Lily like?";
    static final int REQUESTS = 400;

    /** The job both tests use (trained once): its id and its adapter's name. */
    private static String jobId;
    private static String adapter;
    private static String tenant;

    @LocalServerPort
    int port;

    @Autowired
    ModelRegistry registry;

    FineTuningHttp http;

    @BeforeEach
    void client() {
        if (tenant == null) {
            tenant = TestTenants.newTenant();
        }
        http = new FineTuningHttp(port, tenant);
    }

    /** Trains on 24 story answers, holding out 8 others in a validation file, with an evaluation on them. */
    private synchronized JsonNode trainedJob() {
        if (jobId == null) {
            String train = http.uploadOk("stories.jsonl", StoryData.jsonl(24));
            String valid = http.uploadOk("stories-held-out.jsonl", StoryData.jsonl(24, 32));
            JsonNode created = FineTuningHttp.ok(http.post("/v1/fine_tuning/jobs", """
                    {"model": "%s", "training_file": "%s", "validation_file": "%s", "suffix": "rollout", "seed": 3,
                     "hyperparameters": {"n_epochs": 5, "batch_size": 4, "learning_rate_multiplier": 10},
                     "lora": {"rank": 4, "alpha": 8, "dropout": 0},
                     "evaluation": {"dataset": "validation", "max_tokens": 16}}""".formatted(MODEL, train, valid)));
            assertThat(created.get("evaluation").get("dataset").asString()).isEqualTo("validation");
            assertThat(created.get("evaluation").get("max_tokens").asInt()).isEqualTo(16);
            jobId = created.get("id").asString();
        }
        JsonNode done = Awaitility.await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofMillis(250))
                .until(() -> http.job(jobId), job -> List.of("succeeded", "failed", "cancelled")
                        .contains(job.get("status").asString()));
        assertThat(done.get("status").asString()).as("%s", done).isEqualTo("succeeded");
        adapter = done.get("fine_tuned_model").asString();
        return done;
    }

    @Test
    void theJobEvaluatesTheBaseBeforeAndTheAdapterAfterOnTheActualAnswers() {
        JsonNode job = trainedJob();
        JsonNode evaluation = job.get("evaluation");
        assertThat(evaluation.get("items").asInt()).as("the 8 held-out examples").isEqualTo(8);
        JsonNode before = evaluation.get("base");
        JsonNode after = evaluation.get("fine_tuned");
        assertThat(before.get("model").asString()).isEqualTo(BASE);
        assertThat(after.get("model").asString()).isEqualTo(adapter);
        for (JsonNode side : List.of(before, after)) {
            assertThat(side.get("status").asString()).as("%s", side).isEqualTo("finished");
            assertThat(side.get("failed").asInt()).isZero();
            JsonNode run = FineTuningHttp.ok(http.get("/api/eval/runs/" + side.get("run").asString()));
            assertThat(run.at("/run/done").asInt()).isEqualTo(8);
            assertThat(run.at("/means/f1").asDouble()).isCloseTo(side.at("/metrics/f1").asDouble(), within(1e-12));
            checkAnswersAndScores(side);
        }
        double f1Before = before.at("/metrics/f1").asDouble();
        double f1After = after.at("/metrics/f1").asDouble();
        assertThat(evaluation.at("/delta/f1").asDouble()).isCloseTo(f1After - f1Before, within(1e-12));
        assertThat(evaluation.at("/delta/exact_match").asDouble()).isCloseTo(after.at("/metrics/exact_match")
                .asDouble() - before.at("/metrics/exact_match").asDouble(), within(1e-12));
        assertThat(f1After).as("the adapter answers in the trained shape").isGreaterThan(f1Before);
        assertThat(evaluation.get("comparison").asString()).isEqualTo("/api/eval/compare?runs="
                + before.get("run").asString() + "," + after.get("run").asString());
        assertThat(FineTuningHttp.ok(http.get(evaluation.get("comparison").asString())).toString()).contains("f1");

        List<JsonNode> events = http.events(jobId);
        List<String> messages = events.stream().map(event -> event.get("message").asString()).toList();
        int evaluatedBase = indexOf(messages, "Evaluation of " + BASE + " before training");
        int firstStep = indexOf(messages, "Step 1/");
        int evaluatedAdapter = indexOf(messages, "Evaluation of " + adapter + " after training");
        int succeeded = messages.indexOf("The job has successfully completed");
        assertThat(evaluatedBase).as("%s", messages).isNotNegative().isLessThan(firstStep);
        assertThat(evaluatedAdapter).isGreaterThan(firstStep).isLessThan(succeeded);
        JsonNode afterEvent = events.get(evaluatedAdapter).get("data");
        assertThat(afterEvent.get("run").asString()).isEqualTo(after.get("run").asString());
        assertThat(afterEvent.at("/metrics/f1").asDouble()).isEqualTo(f1After);
        assertThat(afterEvent.at("/delta/f1").asDouble()).isCloseTo(f1After - f1Before, within(1e-12));
    }

    /**
     * Each item's stored answer is what the model answers to the same conversation through the chat API (greedy,
     * the same limit), and its scores are SQuAD's exact match and F1 of that answer against the held-out reference.
     */
    private void checkAnswersAndScores(JsonNode side) {
        JsonNode results = FineTuningHttp.ok(http.get("/api/eval/runs/" + side.get("run").asString() + "/results"));
        assertThat(results).hasSize(8);
        double f1 = 0;
        double exact = 0;
        for (JsonNode result : results) {
            int line = Integer.parseInt(result.get("itemId").asString().substring("line ".length()));
            String[] example = StoryData.jsonl(24, 32).split("\n")[line - 1].split("\"content\": \"");
            String question = example[1].substring(0, example[1].indexOf('"'));
            String reference = example[2].substring(0, example[2].indexOf('"'));
            String direct = chat(side.get("model").asString(), question, 16, null);
            assertThat(result.get("answer").asString()).as("item %s", line).isEqualTo(direct.strip());
            JsonNode metrics = FineTuningHttp.JSON_READER.readTree(result.get("metrics").asString());
            assertThat(metrics.get("exact_match").asDouble()).isEqualTo(squadExact(direct, reference));
            assertThat(metrics.get("f1").asDouble()).isCloseTo(squadF1(direct, reference), within(1e-12));
            f1 += metrics.get("f1").asDouble();
            exact += metrics.get("exact_match").asDouble();
        }
        assertThat(side.at("/metrics/f1").asDouble()).isCloseTo(f1 / 8, within(1e-12));
        assertThat(side.at("/metrics/exact_match").asDouble()).isCloseTo(exact / 8, within(1e-12));
    }

    @Test
    void theAdapterTakesACanaryShareIsShadowedAndRollsBack() {
        trainedJob();
        String base = chat(BASE, QUESTION, 8, null);
        String tuned = chat(adapter, QUESTION, 8, null);
        assertThat(tuned).as("the adapter answers otherwise than its base").isNotEqualTo(base);
        FineTuningHttp users = http.as(TestTenants.newTenant());
        expect(200, http.put("/api/admin/models/aliases/story", "{\"version\": \"%s\"}".formatted(BASE)));

        JsonNode canary = expect(200, http.put("/api/admin/models/aliases/story/canary",
                "{\"version\": \"%s\", \"weight\": 25}".formatted(adapter)));
        assertThat(canary.get("targets").get(0).get("version").asString()).isEqualTo(BASE);
        assertThat(canary.get("targets").get(0).get("weight").asInt()).isEqualTo(75);
        assertThat(canary.get("targets").get(1).get("version").asString()).isEqualTo(adapter);
        assertThat(canary.get("targets").get(1).get("weight").asInt()).isEqualTo(25);
        assertThat(canary.get("targets").get(1).get("phase").asString()).isEqualTo("READY");

        record Target(String version, int weight) {
        }
        List<Target> split = List.of(new Target(BASE, 75), new Target(adapter, 25));
        Map<String, String> answers = Map.of(base, BASE, tuned, adapter);
        int expectedOnAdapter = 0;
        for (int i = 0; i < REQUESTS; i++) {
            String user = "user-" + i;
            String expected = StickySplit.pick(split, Target::weight, user).version();
            String served = answers.get(users.chatText("story", QUESTION, 8, user));
            assertThat(served).as("request of %s", user).isEqualTo(expected);
            expectedOnAdapter += expected.equals(adapter) ? 1 : 0;
        }
        double sigma = Math.sqrt(REQUESTS * 0.25 * 0.75);
        assertThat((double) expectedOnAdapter).as("requests on the canary").isBetween(100 - 3 * sigma,
                100 + 3 * sigma);
        // The interaction log says which version answered each of them: the adapter by its own name.
        int onAdapter = expectedOnAdapter;
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                FineTuningHttp.ok(users.get("/api/interactions?size=1&model=" + adapter)).get("total").asInt(),
                total -> total == onAdapter);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                FineTuningHttp.ok(users.get("/api/interactions?size=1&model=" + BASE)).get("total").asInt(),
                total -> total == REQUESTS - onAdapter);

        JsonNode refused = expect(409, http.post("/v1/unload_lora_adapter",
                "{\"lora_name\": \"%s\"}".formatted(adapter)));
        assertThat(refused.toString()).contains("story");

        JsonNode rolledBack = expect(200, http.post("/api/admin/models/aliases/story/rollback", ""));
        assertThat(rolledBack.get("targets")).hasSize(1);
        assertThat(rolledBack.get("targets").get(0).get("version").asString()).isEqualTo(BASE);
        for (int i = 0; i < REQUESTS; i += 10) {
            assertThat(users.chatText("story", QUESTION, 8, "user-" + i)).as("after the rollback").isEqualTo(base);
        }
        assertThat(registry.state(adapter).phase()).as("the adapter is still served by name")
                .isEqualTo(ModelState.Phase.READY);

        JsonNode shadowed = expect(200, http.put("/api/admin/models/aliases/story/shadow",
                "{\"version\": \"%s\"}".formatted(adapter)));
        assertThat(shadowed.get("shadow").asString()).isEqualTo(adapter);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            JsonNode completion = users.chat("story", QUESTION, 8, "shadow-" + i);
            assertThat(completion.at("/choices/0/message/content").asString()).as("the client gets the base's answer")
                    .isEqualTo(base);
            ids.add(completion.get("id").asString());
        }
        Awaitility.await("shadow results").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> FineTuningHttp.ok(http.get("/api/admin/models/shadow-results?alias=story")).size() == 5);
        for (JsonNode result : FineTuningHttp.ok(http.get("/api/admin/models/shadow-results?alias=story"))) {
            assertThat(result.get("primaryId").asString()).isEqualTo(BASE);
            assertThat(result.get("primaryText").asString().strip()).isEqualTo(base.strip());
            assertThat(result.get("shadowId").asString()).isEqualTo(adapter);
            assertThat(result.get("shadowText").asString().strip()).as("the adapter's own answer")
                    .isEqualTo(tuned.strip());
            assertThat(ids).contains(result.get("requestId").asString());
        }
        expect(200, http.delete("/api/admin/models/aliases/story/shadow"));

        List<String> actions = new ArrayList<>();
        FineTuningHttp.ok(http.get("/api/admin/models/aliases/story/history")).forEach(change ->
                actions.add(change.get("action").asString()));
        assertThat(actions).containsExactly("SHADOW_CLEAR", "SHADOW_SET", "ALIAS_ROLLBACK", "ALIAS_SPLIT",
                "ALIAS_CREATE");

        // Promotion is a move: all of the alias's traffic to the adapter.
        expect(200, http.put("/api/admin/models/aliases/story", "{\"version\": \"%s\"}".formatted(adapter)));
        assertThat(users.chatText("story", QUESTION, 8, "anyone")).isEqualTo(tuned);
        expect(200, http.post("/api/admin/models/aliases/story/rollback", ""));
        assertThat(users.chatText("story", QUESTION, 8, "anyone")).isEqualTo(base);
    }

    @Test
    void badRolloutsAreRefusedWithTheReason() throws IOException {
        trainedJob();
        expect(200, http.put("/api/admin/models/aliases/badstory", "{\"version\": \"%s\"}".formatted(BASE)));
        for (int weight : new int[] {0, 100, -5}) {
            JsonNode refused = expect(400, http.put("/api/admin/models/aliases/badstory/canary",
                    "{\"version\": \"%s\", \"weight\": %d}".formatted(adapter, weight)));
            assertThat(refused.toString()).contains("1 to 99", "rollback");
        }
        assertThat(expect(400, http.put("/api/admin/models/aliases/badstory/canary",
                "{\"version\": \"%s\"}".formatted(adapter))).toString()).contains("1 to 99");
        assertThat(expect(404, http.put("/api/admin/models/aliases/badstory/canary",
                "{\"version\": \"no-such-adapter\", \"weight\": 10}")).toString()).contains("no-such-adapter");
        assertThat(expect(404, http.put("/api/admin/models/aliases/nobody/canary",
                "{\"version\": \"%s\", \"weight\": 10}".formatted(adapter))).toString()).contains("nobody");

        // An adapter whose base version was unloaded: no alias may point at it.
        Path copy = Path.of(DATA + "-files/second.gguf").toAbsolutePath();
        Files.createDirectories(copy.getParent());
        Files.copy(TestModels.require(TestModels.STORIES), copy, StandardCopyOption.REPLACE_EXISTING);
        JsonNode second = expect(201, http.post("/api/admin/models/unloaded-base/versions",
                "{\"source\": {\"path\": \"%s\"}}".formatted(copy)));
        String secondId = second.get("id").asString();
        String secondPath = "/api/admin/models/unloaded-base/versions/" + second.get("version").asInt();
        expect(202, http.post(secondPath + "/load", ""));
        awaitPhase(secondId, ModelState.Phase.READY);
        Path adapterFile = Path.of(DATA, "fine-tuning", "jobs", jobId, adapter + ".gguf")
                .toAbsolutePath();
        assertThat(http.postStatus("/v1/load_lora_adapter", """
                {"lora_name": "orphan-lora", "lora_path": "%s", "base_model_name": "%s"}"""
                .formatted(adapterFile, secondId))).isEqualTo(200);
        expect(202, http.post(secondPath + "/unload", ""));
        awaitPhase(secondId, ModelState.Phase.UNLOADED);
        JsonNode orphan = expect(409, http.put("/api/admin/models/aliases/badstory",
                "{\"targets\": [{\"version\": \"%s\", \"weight\": 90}, {\"version\": \"orphan-lora\", \"weight\": 10}]}"
                        .formatted(BASE)));
        assertThat(orphan.toString()).contains("orphan-lora", secondId, "not serving", "load");
        assertThat(expect(409, http.put("/api/admin/models/aliases/badstory/canary",
                "{\"version\": \"orphan-lora\", \"weight\": 10}")).toString()).contains("not serving");
        assertThat(expect(409, http.put("/api/admin/models/aliases/badstory/shadow",
                "{\"version\": \"orphan-lora\"}")).toString()).contains("not serving");
        JsonNode alias = FineTuningHttp.ok(http.get("/api/admin/models/aliases/badstory"));
        assertThat(alias.get("targets")).hasSize(1);
        assertThat(alias.get("shadow").isNull()).isTrue();

        // A fine-tuning job's evaluation that has nothing to evaluate on.
        String file = http.uploadOk("few.jsonl", StoryData.jsonl(4));
        JsonNode noHeldOut = expect(400, http.post("/v1/fine_tuning/jobs", """
                {"model": "%s", "training_file": "%s", "evaluation": {"dataset": "validation"}}"""
                .formatted(MODEL, file)));
        assertThat(noHeldOut.at("/error/param").asString()).isEqualTo("evaluation.dataset");
        assertThat(noHeldOut.at("/error/message").asString()).contains("validation_file");
        JsonNode unknown = expect(400, http.post("/v1/fine_tuning/jobs", """
                {"model": "%s", "training_file": "%s", "evaluation": {"dataset": "no-such-dataset"}}"""
                .formatted(MODEL, file)));
        assertThat(unknown.at("/error/message").asString()).contains("no-such-dataset", "/api/eval/datasets");
        JsonNode tokens = expect(400, http.post("/v1/fine_tuning/jobs", """
                {"model": "%s", "training_file": "%s", "evaluation": {"dataset": "validation", "max_tokens": 0}}"""
                .formatted(MODEL, file)));
        assertThat(tokens.at("/error/param").asString()).isEqualTo("evaluation.max_tokens");
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private String chat(String model, String question, int maxTokens, String user) {
        return http.chatText(model, question, maxTokens, user);
    }

    private void awaitPhase(String id, ModelState.Phase phase) {
        Awaitility.await(id + " " + phase).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> registry.state(id).phase(), p -> p == phase || p == ModelState.Phase.FAILED);
        assertThat(registry.state(id).phase()).as(registry.state(id).detail()).isEqualTo(phase);
    }

    private static JsonNode expect(int status, FineTuningHttp.Answer answer) {
        return FineTuningHttp.okStatus(answer, status);
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int indexOf(List<String> messages, String prefix) {
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    // SQuAD v1.1's evaluation script, written out again: lower case, no punctuation, no articles, single spaces.

    private static String normalize(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        var kept = new StringBuilder();
        for (char c : lower.toCharArray()) {
            if ("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".indexOf(c) < 0) {
                kept.append(c);
            }
        }
        return String.join(" ", kept.toString().replaceAll("\\b(a|an|the)\\b", " ").trim().split("\\s+"));
    }

    private static double squadExact(String prediction, String reference) {
        return normalize(prediction).equals(normalize(reference)) ? 1 : 0;
    }

    private static double squadF1(String prediction, String reference) {
        String p = normalize(prediction);
        String r = normalize(reference);
        List<String> predicted = p.isEmpty() ? List.of() : List.of(p.split(" "));
        List<String> referenced = r.isEmpty() ? List.of() : List.of(r.split(" "));
        Map<String, Integer> left = new HashMap<>();
        referenced.forEach(token -> left.merge(token, 1, Integer::sum));
        int common = 0;
        for (String token : predicted) {
            if (left.getOrDefault(token, 0) > 0) {
                left.merge(token, -1, Integer::sum);
                common++;
            }
        }
        if (common == 0) {
            return 0;
        }
        double precision = (double) common / predicted.size();
        double recall = (double) common / referenced.size();
        return 2 * precision * recall / (precision + recall);
    }
}
