package dev.hanul.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hanul.api.TestTenants;
import dev.hanul.engine.TestModels;
import dev.hanul.inference.ServedTestModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The official OpenAI Python SDK's fine-tuning calls against Hanul (src/test/resources/finetune/sdk_finetune.py):
 * files.create, fine_tuning.jobs.create / retrieve / list / list_events, checkpoints.list, and a chat with the
 * fine-tuned model. Needs a Python with {@code openai}, named by HANUL_TEST_OPENAI_PYTHON (as OpenAiPythonSdkTest);
 * skipped without one. Same context as FineTuningJobTest.
 */
@ServedTestModel(TestModels.STORIES)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=target/test-data/finetune-jobs", "hanul.model.threads=1",
                "hanul.finetune.checkpoint-every=2", "hanul.finetune.keep-checkpoints=2"})
class FineTuningPythonSdkTest {

    private static final Path SCRIPT = Path.of("src/test/resources/finetune/sdk_finetune.py");

    @LocalServerPort
    int port;

    @Test
    void theOfficialPythonSdkUploadsTrainsAndReadsTheJob() throws IOException, InterruptedException {
        String python = System.getProperty("hanul.test.openai-python", System.getenv("HANUL_TEST_OPENAI_PYTHON"));
        assumeTrue(python != null && Files.isExecutable(Path.of(python)), "No Python with the openai package: set "
                + "HANUL_TEST_OPENAI_PYTHON to one (.ci/run prepares a virtual environment for it)");
        Path output = Files.createTempFile("sdk_finetune", ".log");
        try {
            Process process = new ProcessBuilder(python, SCRIPT.toString(), "http://localhost:" + port + "/v1",
                    "stories260K-f32", TestTenants.newTenant()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            // A guard against a hung script, not a speed check.
            boolean ended = process.waitFor(10, TimeUnit.MINUTES);
            if (!ended) {
                process.destroyForcibly();
            }
            String log = Files.readString(output, StandardCharsets.UTF_8);
            System.out.print(log);
            assertThat(ended).as("the script ended; its output:%n%s", log).isTrue();
            assertThat(process.exitValue()).as("the script's exit status; its output:%n%s", log).isZero();
            assertThat(log).contains("OK");
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
