package dev.hanul.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.TestModels;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code hanul generate} and {@code hanul chat} as a user runs them, on real models. */
class EngineCommandsTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    @Test
    void greedyStoriesFromBosPrintExactlyThePublishedText() throws IOException {
        Path model = TestModels.require(TestModels.STORIES);
        Path expected = model.resolveSibling("expected_greedy_t0.txt");
        int exit = hanul().execute("generate", "--model", model.toString(), "--temperature", "0",
                "--max-tokens", "256");
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo(Files.readString(expected));
    }

    @Test
    void chatAnswersTheCapitalOfFrance() {
        Path model = TestModels.require(TestModels.SMOLLM2);
        ChatCommand chat = new ChatCommand();
        chat.input = new ByteArrayInputStream("What is the capital of France?\n/exit\n"
                .getBytes(StandardCharsets.UTF_8));
        CommandLine commandLine = new CommandLine(chat).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int exit = commandLine.execute("--model", model.toString(), "--temperature", "0", "--max-tokens", "64");
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Paris");
    }

    @Test
    void aMissingModelFileIsOneClearLine() {
        Path missing = dir.resolve("absent.gguf");
        assertThat(hanul().execute("generate", "--model", missing.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("not found").contains("absent.gguf").doesNotContain("Exception");
    }

    @Test
    void aTruncatedModelFileIsOneClearLine() throws IOException {
        Path model = TestModels.require(TestModels.STORIES);
        Path cut = dir.resolve("cut.gguf");
        byte[] bytes = Files.readAllBytes(model);
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 3));
        assertThat(hanul().execute("generate", "--model", cut.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("cut.gguf").contains("truncated").doesNotContain("Exception");
    }

    @Test
    void aPromptLongerThanTheContextIsRejected() {
        Path model = TestModels.require(TestModels.STORIES);
        String prompt = "Once upon a time ".repeat(200);
        assertThat(hanul().execute("generate", "--model", model.toString(), "--prompt", prompt)).isEqualTo(1);
        assertThat(err.toString()).contains("maximum context length is 512 tokens").contains("reduce the length");
    }

    @Test
    void outOfRangeSamplingValuesNameTheParameter() {
        Path model = TestModels.require(TestModels.STORIES);
        assertThat(hanul().execute("generate", "--model", model.toString(), "--top-p", "1.5")).isEqualTo(1);
        assertThat(err.toString()).contains("top_p must be in (0, 1], got 1.5.");
    }

    private CommandLine hanul() {
        return HanulCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    }
}
