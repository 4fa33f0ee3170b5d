package dev.hanul.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hanul.HanulApplication;
import dev.hanul.engine.TestModels;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * kill -9 in the middle of a fine-tuning job, for real: the service runs in a child JVM, is killed between two
 * checkpoints, and is started again on the same data directory. The job must resume from its last checkpoint and
 * succeed with every step made; the steps it makes again after the resume must have the losses they had before the
 * kill, and every step's loss must be the one an uninterrupted run of the same job (same file, seed and settings)
 * has, as must the final losses.
 */
class KillDuringFineTuningTest {

    private static final String TENANT = "durable-training";
    private static final String MODEL = "stories260K-f32";
    private static final int CHECKPOINT_EVERY = 4;
    /** Losses are sums over threads; the same steps on the same machine agree far closer than this. */
    private static final double TOLERANCE = 1e-4;

    @TempDir
    Path dataDir;

    @Test
    void aKilledJobResumesFromItsLastCheckpointWithTheSameLossCurve() throws Exception {
        Path model = TestModels.require(TestModels.STORIES).toAbsolutePath();
        String request = """
                {"model": "%s", "training_file": "%%s", "seed": 21, "suffix": "durable",
                 "hyperparameters": {"n_epochs": 3, "batch_size": 2, "learning_rate_multiplier": 5},
                 "lora": {"rank": 4, "dropout": 0.1}}""".formatted(MODEL);
        int port = freePort();
        Process child = startChild(port, model);
        String jobId;
        String file;
        int killedAfter;
        Map<Integer, Double> lossesBeforeKill;
        try {
            FineTuningHttp http = new FineTuningHttp(port, TENANT);
            Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> http.get("/v1/models").body().get("data").size() > 0);
            file = http.uploadOk("durable.jsonl", StoryData.jsonl(22));
            JsonNode created = FineTuningHttp.ok(http.post("/v1/fine_tuning/jobs", request.formatted(file)));
            jobId = created.get("id").asString();
            assertThat(created.get("total_steps").asInt()).isEqualTo(30);
            String id = jobId;
            // Past two checkpoints and between two: the steps since the last one are lost and made again.
            List<JsonNode> midway = Awaitility.await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(10)).until(() -> http.events(id), events -> {
                        int steps = stepLosses(events, false).size();
                        return steps > 2 * CHECKPOINT_EVERY && steps % CHECKPOINT_EVERY != 0;
                    });
            child.destroyForcibly();
            lossesBeforeKill = stepLosses(midway, false);
            killedAfter = lossesBeforeKill.size();
            assertThat(killedAfter).as("the kill landed before the job finished").isLessThan(30);
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child exited").isTrue();
        }

        try (ConfigurableApplicationContext restarted = new SpringApplicationBuilder(HanulApplication.class)
                .run("--server.port=0", "--hanul.data-dir=" + dataDir, "--hanul.model.path=" + model,
                        "--hanul.model.threads=1", "--hanul.finetune.checkpoint-every=" + CHECKPOINT_EVERY)) {
            var http = new FineTuningHttp(((WebServerApplicationContext) restarted).getWebServer().getPort(),
                    TENANT);
            JsonNode resumed = awaitEnd(http, jobId);
            assertThat(resumed.get("status").asString()).as("%s", resumed).isEqualTo("succeeded");
            assertThat(resumed.get("completed_steps").asInt()).isEqualTo(30);
            List<JsonNode> events = http.events(jobId);
            // A checkpoint may have been written between the last events read and the kill.
            int checkpoint = events.stream().map(event -> event.get("message").asString())
                    .filter(message -> message.startsWith("Resumed from the checkpoint at step "))
                    .map(message -> Integer.parseInt(message.split(" ")[6])).findFirst().orElseThrow();
            assertThat(checkpoint % CHECKPOINT_EVERY).isZero();
            assertThat(checkpoint).isBetween(killedAfter - killedAfter % CHECKPOINT_EVERY, 29);
            Map<Integer, Double> afterResume = stepLosses(events, true);
            assertThat(afterResume.keySet()).as("every step made, the lost ones again")
                    .containsExactlyElementsOf(range(checkpoint + 1, 30));
            assertThat(checkpoint).as("some steps were lost with the kill and made again").isLessThan(killedAfter);
            for (int step = checkpoint + 1; step <= killedAfter; step++) {
                assertThat(afterResume.get(step)).as("step %d made again after the resume", step)
                        .isCloseTo(lossesBeforeKill.get(step), within(TOLERANCE));
            }

            // The same job without a kill.
            String reference = FineTuningHttp.ok(http.post("/v1/fine_tuning/jobs", request.formatted(file)))
                    .get("id").asString();
            JsonNode uninterrupted = awaitEnd(http, reference);
            assertThat(uninterrupted.get("status").asString()).isEqualTo("succeeded");
            Map<Integer, Double> expected = stepLosses(http.events(reference), false);
            Map<Integer, Double> actual = new LinkedHashMap<>(lossesBeforeKill);
            actual.putAll(afterResume);
            assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
            for (int step : expected.keySet()) {
                assertThat(actual.get(step)).as("step %d", step).isCloseTo(expected.get(step), within(TOLERANCE));
            }
            assertThat(resumed.get("train_loss").asDouble()).isCloseTo(uninterrupted.get("train_loss").asDouble(),
                    within(TOLERANCE));
            assertThat(resumed.get("validation_loss").asDouble())
                    .isCloseTo(uninterrupted.get("validation_loss").asDouble(), within(TOLERANCE));
        }
    }

    /** Each step's training loss, from the first event of the step (or the last, for the steps made again). */
    private static Map<Integer, Double> stepLosses(List<JsonNode> events, boolean afterResume) {
        Map<Integer, Double> losses = new LinkedHashMap<>();
        boolean resumed = false;
        for (JsonNode event : events) {
            resumed |= event.get("message").asString().startsWith("Resumed from the checkpoint");
            if (afterResume && !resumed || !event.get("type").asString().equals("metrics")
                    || event.get("data").get("step").asInt() == 0) {
                continue;
            }
            losses.putIfAbsent(event.get("data").get("step").asInt(), event.get("data").get("train_loss").asDouble());
        }
        return losses;
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> steps = new ArrayList<>();
        for (int step = from; step <= to; step++) {
            steps.add(step);
        }
        return steps;
    }

    private static JsonNode awaitEnd(FineTuningHttp http, String id) {
        return Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> http.job(id), job -> List.of("succeeded", "failed", "cancelled")
                        .contains(job.get("status").asString()));
    }

    private Process startChild(int port, Path model) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx1g",
                "-cp", System.getProperty("java.class.path"),
                HanulApplication.class.getName(),
                "--server.port=" + port, "--hanul.data-dir=" + dataDir, "--hanul.model.offline=true",
                "--hanul.model.path=" + model, "--hanul.model.threads=1",
                "--hanul.finetune.checkpoint-every=" + CHECKPOINT_EVERY));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolveSibling(dataDir.getFileName() + "-child.log").toFile())
                .start();
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
