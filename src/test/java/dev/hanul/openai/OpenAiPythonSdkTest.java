package dev.hanul.openai;

import dev.hanul.engine.TestModels;
import dev.hanul.inference.ServedTestModel;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The official OpenAI Python SDK against Hanul serving SmolLM2: src/test/resources/openai/sdk_check.py parses a
 * json_schema answer into a pydantic model, round-trips a tool call and streams one. The script needs a Python with
 * {@code openai} and {@code pydantic}; .ci/run prepares a virtual environment and names its interpreter in
 * HANUL_TEST_OPENAI_PYTHON (or the system property hanul.test.openai-python). Without it the test is skipped.
 * Same settings as {@link OpenAiSdkTest}, so they share one service.
 */
@ServedTestModel(TestModels.SMOLLM2)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=target/test-data/openai-sdk", "hanul.model.threads=2"})
class OpenAiPythonSdkTest {

    private static final Path SCRIPT = Path.of("src/test/resources/openai/sdk_check.py");

    @LocalServerPort
    int port;

    @Test
    void theOfficialPythonSdkParsesStructuredOutputAndCallsTools() throws IOException, InterruptedException {
        PythonSdkScript.run(SCRIPT, "http://localhost:" + port + "/v1", OpenAiSdkTest.MODEL);
    }
}
