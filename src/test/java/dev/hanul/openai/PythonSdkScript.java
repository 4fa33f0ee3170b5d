package dev.hanul.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a script of the official OpenAI Python SDK against the running service and checks that it ends well (exit
 * status 0, "OK" printed). The interpreter is named by HANUL_TEST_OPENAI_PYTHON or the system property
 * hanul.test.openai-python (.ci/run prepares a virtual environment with {@code openai} and {@code pydantic}); without
 * one the test is skipped.
 */
public final class PythonSdkScript {

    private PythonSdkScript() {
    }

    public static void run(Path script, String... arguments) throws IOException, InterruptedException {
        String python = System.getProperty("hanul.test.openai-python", System.getenv("HANUL_TEST_OPENAI_PYTHON"));
        assumeTrue(python != null && Files.isExecutable(Path.of(python)), "No Python with the openai and pydantic "
                + "packages: set HANUL_TEST_OPENAI_PYTHON to one (.ci/run prepares a virtual environment for it)");
        Path output = Files.createTempFile(script.getFileName().toString(), ".log");
        try {
            List<String> command = new ArrayList<>(List.of(python, script.toString()));
            command.addAll(List.of(arguments));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
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
