package dev.hanul.finetune;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.api.TestTenants;
import dev.hanul.engine.TestModels;
import dev.hanul.engine.LoadedModel;
import dev.hanul.engine.lora.LoraAdapter;
import dev.hanul.engine.lora.LoraTarget;
import dev.hanul.inference.ServedTestModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Jobs that really train, on the tiny story model: one runs to succeeded with a step event per step, checkpoints
 * every two steps, a falling loss, and an adapter that the registry serves under the job's model name (listed with
 * its parent, answering completions, its lineage in the change history); another is cancelled while it runs.
 */
@ServedTestModel(TestModels.STORIES)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=target/test-data/finetune-jobs", "hanul.model.threads=1",
                "hanul.finetune.checkpoint-every=2", "hanul.finetune.keep-checkpoints=2"})
class FineTuningJobTest {

    static final String MODEL = "stories260K-f32";

    @LocalServerPort
    int port;

    FineTuningHttp http;

    @BeforeEach
    void client() {
        http = new FineTuningHttp(port, TestTenants.newTenant());
    }

    @Test
    void aJobTrainsToSucceededAndItsAdapterIsServedWithItsLineage() throws Exception {
        String file = http.uploadOk("names.jsonl", StoryData.jsonl(20));
        JsonNode created = FineTuningHttp.ok(http.post("/v1/fine_tuning/jobs", """
                {"model": "%s", "training_file": "%s", "suffix": "names", "seed": 11,
                 "hyperparameters": {"n_epochs": 2, "batch_size": 6, "learning_rate_multiplier": 10},
                 "lora": {"rank": 4, "alpha": 8, "dropout": 0, "target_modules": ["q_proj", "v_proj", "o", "down"]}}"""
                .formatted(MODEL, file)));
        String id = created.get("id").asString();
        assertThat(created.get("total_steps").asInt()).as("18 of 20 train, batches of 6, 2 epochs").isEqualTo(6);

        JsonNode done = awaitEnd(id);

        assertThat(done.get("status").asString()).as("%s", done).isEqualTo("succeeded");
        assertThat(done.get("completed_steps").asInt()).isEqualTo(6);
        assertThat(done.get("trained_tokens").asLong()).isPositive();
        assertThat(done.get("finished_at").isNull()).isFalse();
        String model = done.get("fine_tuned_model").asString();
        assertThat(model).startsWith("ft-" + MODEL + "-names-").isEqualTo(JobRun.modelName(new FineTuningJob(id,
                null, MODEL + "@1", null, null, "names", null, 0, null, 0, 0, 0, null, null, null, null, null, null,
                null, null, null, null)));

        List<JsonNode> events = http.events(id);
        List<JsonNode> steps = events.stream().filter(event -> event.get("type").asString().equals("metrics")
                && event.get("data").get("step").asInt() > 0).toList();
        assertThat(steps).extracting(event -> event.get("data").get("step").asInt()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(steps).allSatisfy(event -> {
            assertThat(event.get("object").asString()).isEqualTo("fine_tuning.job.event");
            assertThat(event.get("data").get("tokens_per_second").asDouble()).isPositive();
            assertThat(event.get("data").has("eta_seconds")).isTrue();
            assertThat(event.get("data").get("total_steps").asInt()).isEqualTo(6);
        });
        assertThat(steps.getLast().get("data").get("eta_seconds").asLong()).isZero();
        double firstLoss = steps.getFirst().get("data").get("train_loss").asDouble();
        double lastLoss = steps.getLast().get("data").get("train_loss").asDouble();
        assertThat(lastLoss).as("the loss falls").isLessThan(firstLoss);
        assertThat(events.stream().map(event -> event.get("message").asString()))
                .contains("Files validated, moving job to queued state", "The job has successfully completed")
                .anyMatch(message -> message.startsWith("Validation loss before training: "));
        assertThat(steps.get(1).get("data").has("valid_loss")).as("validation at checkpoints").isTrue();

        JsonNode checkpoints = FineTuningHttp.ok(http.get("/v1/fine_tuning/jobs/" + id + "/checkpoints"))
                .get("data");
        assertThat(checkpoints).extracting(checkpoint -> checkpoint.get("step_number").asInt())
                .containsExactly(6, 4, 2);
        assertThat(checkpoints.get(0).get("fine_tuned_model_checkpoint").asString()).isEqualTo(id + ":ckpt-step-6");
        assertThat(checkpoints.get(0).get("metrics").get("train_loss").asDouble()).isEqualTo(lastLoss);
        Path jobDirectory = Path.of("target/test-data/finetune-jobs/fine-tuning/jobs", id);
        try (var kept = Files.list(jobDirectory)) {
            assertThat(kept.filter(path -> path.toString().endsWith(".ckpt")).count())
                    .as("hanul.finetune.keep-checkpoints").isEqualTo(2);
        }

        // The adapter: llama.cpp's format, the four chosen targets, served on the base and answering.
        Path adapterFile = jobDirectory.resolve(model + ".gguf");
        try (LoadedModel base = LoadedModel.open(TestModels.require(TestModels.STORIES), 1)) {
            LoraAdapter adapter = LoraAdapter.load(adapterFile, base.model(), model, 1f);
            assertThat(adapter.rank()).isEqualTo(4);
            assertThat(adapter.alpha()).isEqualTo(8f);
            assertThat(adapter.targets()).containsExactlyInAnyOrder(LoraTarget.QUERY, LoraTarget.VALUE,
                    LoraTarget.ATTENTION_OUTPUT, LoraTarget.DOWN);
        }
        JsonNode models = FineTuningHttp.ok(http.get("/v1/models")).get("data");
        assertThat(models).anySatisfy(card -> {
            assertThat(card.get("id").asString()).isEqualTo(model);
            assertThat(card.get("parent").asString()).isEqualTo(MODEL);
        });
        JsonNode completion = FineTuningHttp.ok(http.post("/v1/chat/completions", """
                {"model": "%s", "messages": [{"role": "user", "content": "What did Lily like?"}], "max_tokens": 8,
                 "temperature": 0}""".formatted(model)));
        assertThat(completion.get("model").asString()).isEqualTo(model);
        JsonNode changes = FineTuningHttp.ok(http.get("/api/admin/models/changes?subject=" + model));
        assertThat(changes).singleElement().satisfies(change -> {
            assertThat(change.get("action").asString()).isEqualTo("REGISTER");
            assertThat(change.get("toValue").asString()).contains("on " + MODEL + "@1", "dataset names v1 (" + file,
                    "n_epochs=2 batch_size=6", "rank=4", "train loss", "validation loss");
        });
        String metrics = http.client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(metrics).contains("hanul_finetune_steps_total", "hanul_finetune_tokens_total",
                "hanul_finetune_loss");
    }

    @Test
    void aRunningJobIsCancelledAtItsNextStep() {
        String file = http.uploadOk("long.jsonl", StoryData.jsonl(40));
        String id = FineTuningHttp.ok(http.post("/v1/fine_tuning/jobs", """
                {"model": "%s", "training_file": "%s", "seed": 5, "hyperparameters": {"n_epochs": 100,
                 "batch_size": 1}}""".formatted(MODEL, file))).get("id").asString();
        Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> http.job(id).get("completed_steps").asInt() >= 1);

        JsonNode cancelled = FineTuningHttp.ok(http.post("/v1/fine_tuning/jobs/" + id + "/cancel", "{}"));

        assertThat(cancelled.get("status").asString()).isEqualTo("cancelled");
        int stepsAtCancel = cancelled.get("completed_steps").asInt();
        Awaitility.await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofMinutes(1))
                .until(() -> http.job(id).get("completed_steps").asInt() <= stepsAtCancel + 1);
        JsonNode after = http.job(id);
        assertThat(after.get("status").asString()).isEqualTo("cancelled");
        assertThat(after.get("fine_tuned_model").isNull()).isTrue();
        assertThat(after.get("completed_steps").asInt()).isLessThan(after.get("total_steps").asInt());
        assertThat(http.post("/v1/fine_tuning/jobs/" + id + "/cancel", "{}").status()).isEqualTo(409);
        assertThat(http.events(id)).extracting(event -> event.get("message").asString()).contains("Job cancelled");
    }

    private JsonNode awaitEnd(String id) {
        return Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> http.job(id), job -> List.of("succeeded", "failed", "cancelled")
                        .contains(job.get("status").asString()));
    }
}
