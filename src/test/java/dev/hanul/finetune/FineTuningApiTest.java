package dev.hanul.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.api.TestTenants;
import dev.hanul.engine.TestModels;
import dev.hanul.inference.ServedTestModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The Files and fine-tuning job APIs as OpenAI clients call them, without training: a refused file lists every bad
 * line and leaves nothing behind, datasets get versions, a job whose examples do not fit the base model is refused
 * with the lines at fault and never created, bad hyper-parameters name their parameter, and one tenant never sees
 * another's files or jobs.
 */
@ServedTestModel(TestModels.STORIES)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=target/test-data/finetune-api", "hanul.model.threads=1"})
class FineTuningApiTest {

    static final String MODEL = "stories260K-f32";
    static final Path FILES = Path.of("target/test-data/finetune-api/fine-tuning/files");

    @LocalServerPort
    int port;

    FineTuningHttp http;

    @BeforeEach
    void client() {
        http = new FineTuningHttp(port, TestTenants.newTenant());
    }

    @Test
    void aMalformedFileIsRefusedWithEveryLineAndNothingIsStored() throws IOException {
        List<Path> before = stored();
        String file = String.join("\n", FineTuningDataTest.GOOD,
                "{\"messages\": [{\"role\": \"user\", \"content\": \"x\"",
                "{\"messages\": [{\"role\": \"narrator\", \"content\": \"x\"}, {\"role\": \"assistant\", "
                        + "\"content\": \"y\"}]}",
                FineTuningDataTest.GOOD);

        FineTuningHttp.Answer refused = http.upload("stories.jsonl", file);

        assertThat(refused.status()).isEqualTo(400);
        JsonNode error = refused.body().get("error");
        assertThat(error.get("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.get("param").asString()).isEqualTo("file");
        assertThat(error.get("message").asString()).contains("3 lines", "nothing was stored", "line 2: not valid "
                + "JSON", "line 3: messages[0] has the unknown role \"narrator\"", "line 4: duplicate of line 1");
        List<Integer> lines = new ArrayList<>();
        error.get("lines").forEach(line -> lines.add(line.get("line").asInt()));
        assertThat(lines).containsExactly(2, 3, 4);
        assertThat(FineTuningHttp.ok(http.get("/v1/files")).get("data")).isEmpty();
        assertThat(stored()).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void filesAreVersionsOfTheirDatasetAndReadBackAsUploaded() {
        String content = StoryData.jsonl(12);
        String first = http.uploadOk("stories.jsonl", content);
        String second = http.uploadOk("stories.jsonl", StoryData.jsonl(14));

        JsonNode one = FineTuningHttp.ok(http.get("/v1/files/" + first));
        assertThat(one.get("object").asString()).isEqualTo("file");
        assertThat(one.get("purpose").asString()).isEqualTo("fine-tune");
        assertThat(one.get("filename").asString()).isEqualTo("stories.jsonl");
        assertThat(one.get("bytes").asLong()).isEqualTo(content.length());
        assertThat(one.get("dataset").asString()).isEqualTo("stories");
        assertThat(one.get("version").asInt()).isEqualTo(1);
        assertThat(one.get("examples").asInt()).isEqualTo(12);
        assertThat(FineTuningHttp.ok(http.get("/v1/files/" + second)).get("version").asInt()).isEqualTo(2);
        var body = http.client.get().uri("/v1/files/" + first + "/content").header("X-Tenant-Id", http.tenant)
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(body).isEqualTo(content);

        JsonNode deleted = FineTuningHttp.ok(http.delete("/v1/files/" + first));
        assertThat(deleted.get("deleted").asBoolean()).isTrue();
        assertThat(http.get("/v1/files/" + first).status()).isEqualTo(404);
        assertThat(FineTuningHttp.ok(http.get("/v1/files")).get("data")).extracting(file -> file.get("id")
                .asString()).containsExactly(second);
    }

    @Test
    void aJobWhoseExamplesDoNotFitTheModelIsRefusedWithTheLinesAndNotCreated() {
        String tooLong = "{\"messages\": [{\"role\": \"user\", \"content\": \"Tell me a story\"}, {\"role\": "
                + "\"assistant\", \"content\": \"" + "Lily went to the park and played with her ball. ".repeat(200)
                + "\"}]}";
        String file = http.uploadOk("long.jsonl", StoryData.jsonl(3) + "\n" + tooLong);

        FineTuningHttp.Answer refused = http.post("/v1/fine_tuning/jobs", """
                {"model": "%s", "training_file": "%s"}""".formatted(MODEL, file));

        assertThat(refused.status()).isEqualTo(400);
        JsonNode error = refused.body().get("error");
        assertThat(error.get("param").asString()).isEqualTo("training_file");
        assertThat(error.get("lines")).singleElement().satisfies(line -> {
            assertThat(line.get("line").asInt()).isEqualTo(4);
            assertThat(line.get("reason").asString()).contains("tokens with the model's chat template, longer than "
                    + "its window of 512 tokens");
        });
        assertThat(FineTuningHttp.ok(http.get("/v1/fine_tuning/jobs")).get("data")).isEmpty();
    }

    @Test
    void badSettingsNameTheirParameter() {
        String file = http.uploadOk("stories.jsonl", StoryData.jsonl(4));
        assertThat(refusedParam("""
                {"model": "%s", "training_file": "%s", "hyperparameters": {"n_epochs": 0}}""", file))
                .isEqualTo("hyperparameters.n_epochs");
        assertThat(refusedParam("""
                {"model": "%s", "training_file": "%s", "hyperparameters": {"batch_size": "big"}}""", file))
                .isEqualTo("hyperparameters.batch_size");
        assertThat(refusedParam("""
                {"model": "%s", "training_file": "%s", "lora": {"target_modules": ["q_proj", "lm_head"]}}""", file))
                .isEqualTo("lora.target_modules");
        assertThat(refusedParam("""
                {"model": "%s", "training_file": "%s", "suffix": "Bad Suffix"}""", file)).isEqualTo("suffix");
        assertThat(refusedParam("""
                {"model": "%s", "training_file": "%s"}""", "file-000000000000000000000000"))
                .isEqualTo("training_file");
        FineTuningHttp.Answer unknown = http.post("/v1/fine_tuning/jobs", """
                {"model": "no-such-model", "training_file": "%s"}""".formatted(file));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().get("error").get("code").asString()).isEqualTo("model_not_found");
        assertThat(FineTuningHttp.ok(http.get("/v1/fine_tuning/jobs")).get("data")).isEmpty();
    }

    @Test
    void oneTenantNeverSeesAnothersFilesOrJobs() {
        String file = http.uploadOk("stories.jsonl", StoryData.jsonl(12));
        JsonNode job = FineTuningHttp.ok(http.post("/v1/fine_tuning/jobs", """
                {"model": "%s", "training_file": "%s", "suffix": "isolated", "seed": 3,
                 "hyperparameters": {"n_epochs": 1, "batch_size": 4}, "lora": {"rank": 2}}"""
                .formatted(MODEL, file)));
        String id = job.get("id").asString();
        assertThat(job.get("object").asString()).isEqualTo("fine_tuning.job");
        assertThat(job.get("model").asString()).isEqualTo(MODEL + "@1");
        assertThat(job.get("training_file").asString()).isEqualTo(file);
        assertThat(job.get("status").asString()).isIn("queued", "running", "succeeded", "failed");
        assertThat(job.get("hyperparameters").get("n_epochs").asInt()).isEqualTo(1);
        assertThat(job.get("lora").get("rank").asInt()).isEqualTo(2);
        assertThat(job.get("lora").get("target_modules")).hasSize(7);
        JsonNode estimate = job.get("estimate");
        assertThat(estimate.get("train_examples").asInt() + estimate.get("validation_examples").asInt())
                .isEqualTo(12);
        assertThat(estimate.get("validation_examples").asInt()).isEqualTo(1);
        assertThat(estimate.get("total_steps").asInt()).isEqualTo(3);
        assertThat(estimate.get("billable_tokens").asLong()).isPositive();
        assertThat(estimate.get("estimated_minutes").asDouble()).isPositive();

        FineTuningHttp other = http.as(TestTenants.newTenant());
        assertThat(other.get("/v1/files/" + file).status()).isEqualTo(404);
        assertThat(other.get("/v1/files/" + file + "/content").status()).isEqualTo(404);
        assertThat(other.delete("/v1/files/" + file).status()).isEqualTo(404);
        assertThat(FineTuningHttp.ok(other.get("/v1/files")).get("data")).isEmpty();
        assertThat(other.get("/v1/fine_tuning/jobs/" + id).status()).isEqualTo(404);
        assertThat(other.get("/v1/fine_tuning/jobs/" + id + "/events").status()).isEqualTo(404);
        assertThat(other.get("/v1/fine_tuning/jobs/" + id + "/checkpoints").status()).isEqualTo(404);
        assertThat(other.post("/v1/fine_tuning/jobs/" + id + "/cancel", "{}").status()).isEqualTo(404);
        assertThat(FineTuningHttp.ok(other.get("/v1/fine_tuning/jobs")).get("data")).isEmpty();
        assertThat(other.post("/v1/fine_tuning/jobs", """
                {"model": "%s", "training_file": "%s"}""".formatted(MODEL, file)).status()).isEqualTo(400);

        assertThat(FineTuningHttp.ok(http.get("/v1/fine_tuning/jobs")).get("data")).extracting(j -> j.get("id")
                .asString()).containsExactly(id);
        assertThat(http.events(id)).extracting(event -> event.get("message").asString())
                .startsWith("Validating training file: " + file);
    }

    @Test
    void datasetsAreBuiltFromTheTenantsDocumentsAndFeedback() {
        String text = "The Han River flows through Seoul for about 41 km. The bridge was opened in 1998 by the city. "
                + "Every summer the riverside parks host the Seoul Lantern Festival for visitors.";
        JsonNode accepted = FineTuningHttp.okStatus(http.post("/api/ingest/text", """
                {"documents": [{"id": "river", "text": "%s"}]}""".formatted(text)), 202);
        String ingestJob = accepted.get("jobId").asString();
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> http.get("/api/ingest/jobs/" + ingestJob).body().hasNonNull("finishedAt"));

        JsonNode built = FineTuningHttp.ok(http.post("/api/fine-tuning/datasets", """
                {"source": "documents", "name": "river-qa"}"""));
        assertThat(built.get("origin").asString()).isEqualTo("documents");
        assertThat(built.get("dataset").asString()).isEqualTo("river-qa");
        assertThat(built.get("examples").asInt()).isEqualTo(3);
        String content = http.client.get().uri("/v1/files/" + built.get("id").asString() + "/content")
                .header("X-Tenant-Id", http.tenant).exchange().expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody();
        assertThat(content).contains("Context:\\n[1] The Han River flows")
                .contains("\"content\":\"41 km [1]\"").contains("\"content\":\"1998 [1]\"")
                .contains("\"content\":\"Seoul Lantern Festival [1]\"")
                .contains("What fills the blank in \\\"The Han River flows through Seoul for about _____.");

        FineTuningHttp.Answer none = http.post("/api/fine-tuning/datasets", """
                {"source": "feedback", "name": "liked"}""");
        assertThat(none.status()).isEqualTo(422);
        assertThat(none.body().get("message").asString()).contains("has positive feedback");
        JsonNode answer = FineTuningHttp.ok(http.post("/v1/chat/completions", """
                {"model": "%s", "messages": [{"role": "user", "content": "Tell me about Lily"}], "max_tokens": 8,
                 "temperature": 0}""".formatted(MODEL)));
        String interaction = answer.get("id").asString();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                http.post("/api/interactions/" + interaction + "/feedback", """
                        {"rating": "up"}""").status() == 200);
        JsonNode liked = FineTuningHttp.ok(http.post("/api/fine-tuning/datasets", """
                {"source": "feedback", "name": "liked"}"""));
        assertThat(liked.get("examples").asInt()).isEqualTo(1);
        assertThat(liked.get("origin").asString()).isEqualTo("feedback");
    }

    private String refusedParam(String request, String file) {
        FineTuningHttp.Answer answer = http.post("/v1/fine_tuning/jobs", request.formatted(MODEL, file));
        assertThat(answer.status()).as("%s", answer.body()).isEqualTo(400);
        return answer.body().get("error").get("param").asString();
    }

    private static List<Path> stored() throws IOException {
        if (!Files.isDirectory(FILES)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(FILES)) {
            return files.toList();
        }
    }
}
