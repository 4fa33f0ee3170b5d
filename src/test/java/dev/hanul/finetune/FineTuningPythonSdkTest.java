package dev.hanul.finetune;

import dev.hanul.api.TestTenants;
import dev.hanul.engine.TestModels;
import dev.hanul.inference.ServedTestModel;
import dev.hanul.openai.PythonSdkScript;
import java.io.IOException;
import java.nio.file.Path;
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
        PythonSdkScript.run(SCRIPT, "http://localhost:" + port + "/v1", "stories260K-f32", TestTenants.newTenant());
    }
}
