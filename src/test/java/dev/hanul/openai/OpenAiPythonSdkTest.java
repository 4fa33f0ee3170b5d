package dev.hanul.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
        String python = System.getProperty("hanul.test.openai-python", System.getenv("HANUL_TEST_OPENAI_PYTHON"));
        assumeTrue(python != null && Files.isExecutable(Path.of(python)), "No Python with the openai and pydantic "
                + "packages: set HANUL_TEST_OPENAI_PYTHON to one (.ci/run prepares a virtual environment for it)");
        Path output = Files.createTempFile("sdk_check", ".log");
        try {
            Process process = new ProcessBuilder(python, SCRIPT.toString(), "http://localhost:" + port + "/v1",
                    OpenAiSdkTest.MODEL).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            // A guard against a hung script, not a speed check: SmolLM2 answers each request in seconds.
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
