package dev.hanul.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.TestModels;
import dev.hanul.inference.ServedTestModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import picocli.CommandLine;

/** {@code hanul model versions|alias} against a running service: a whole rollout from the command line. */
@ServedTestModel(TestModels.STORIES)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=" + ModelAdminCommandsTest.DATA, "hanul.registry.drain-grace=100ms"})
class ModelAdminCommandsTest {

    static final String DATA = "target/test-data/registry-cli";

    static {
        // A fresh registry: the versions this test registers must be the model's first ones.
        try (Stream<Path> paths = Files.exists(Path.of(DATA)) ? Files.walk(Path.of(DATA)) : Stream.empty()) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @LocalServerPort
    int port;

    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void needsTheSecondTestModel() {
        TestModels.require(TestModels.TINY_RANDOM);
    }

    @Test
    void aRolloutFromTheCommandLine() throws IOException {
        Path first = copy(TestModels.STORIES, "cli-first");
        Path second = copy(TestModels.TINY_RANDOM, "cli-second");

        assertThat(hanul("model", "versions", "register", "tales", "--path", first.toString(), "--notes", "v1"))
                .isEqualTo("tales@1");
        assertThat(hanul("model", "versions", "register", "tales", "--path", second.toString())).isEqualTo("tales@2");
        assertThat(hanul("model", "versions", "load", "tales@1", "--wait")).startsWith("tales@1 READY");
        assertThat(hanul("model", "alias", "set", "prod", "tales@1")).contains("prod").contains("tales@1=100 (READY)");
        assertThat(hanul("model", "alias", "split", "prod", "tales@1=90", "tales@2=10")).isEmpty();
        assertThat(err.toString()).contains("HTTP 409").contains("tales@2 (REGISTERED)] must be loaded");
        assertThat(hanul("model", "versions", "load", "tales@2", "--wait")).startsWith("tales@2 READY");
        assertThat(hanul("model", "alias", "split", "prod", "tales@1=90", "tales@2=10"))
                .contains("tales@1=90 (READY), tales@2=10 (READY)");
        assertThat(hanul("model", "versions", "list")).contains("memory: ").contains("tales@1")
                .containsPattern("tales@2 +READY +F16 .* prod");
        assertThat(hanul("model", "alias", "rollback", "prod")).contains("tales@1=100 (READY)");
        // --load loads and warms the version (drained by the rollback) before the alias moves.
        assertThat(hanul("model", "alias", "set", "prod", "tales@2", "--load")).contains("tales@2=100 (READY)");
        assertThat(hanul("model", "alias", "history", "prod"))
                .containsPattern("tester +ALIAS_MOVE +tales@1 -> tales@2")
                .containsPattern("tester +ALIAS_ROLLBACK +tales@1=90,tales@2=10 -> tales@1")
                .containsPattern("tester +ALIAS_SPLIT +tales@1 -> tales@1=90,tales@2=10")
                .containsPattern("tester +ALIAS_CREATE +\\(none\\) -> tales@1");
        assertThat(hanul("model", "versions", "show", "tales@1")).contains("\"notes\" : \"v1\"")
                .contains("\"createdBy\" : \"tester\"");
        assertThat(hanul("model", "versions", "show", "tales")).isEmpty();
        assertThat(err.toString()).contains("'tales' is not a version; write it as name@number");
    }

    /** Runs the command with this test's service and actor; its standard output, stripped. */
    private String hanul(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine command = HanulCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        String[] all = Stream.concat(Stream.of(args), Stream.of("--server", "http://localhost:" + port, "--actor",
                "tester")).toArray(String[]::new);
        command.execute(all);
        return out.toString().strip();
    }

    private static Path copy(String testModel, String name) throws IOException {
        Path target = Path.of(DATA + "-files", name + ".gguf").toAbsolutePath();
        Files.createDirectories(target.getParent());
        return Files.copy(TestModels.require(testModel), target, StandardCopyOption.REPLACE_EXISTING);
    }
}
