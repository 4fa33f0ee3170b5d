package dev.hanul.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.api.TestTenants;
import dev.hanul.engine.TestModels;
import dev.hanul.inference.ServedTestModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.StringJoiner;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import picocli.CommandLine;

/**
 * {@code hanul finetune} against a running service: a job created from a JSONL file and followed to its end, then
 * listed and shown with its checkpoints and events; a malformed file refused with its lines. Same context as
 * FineTuningJobTest (same settings), so the suite starts it once.
 */
@ServedTestModel(TestModels.STORIES)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=target/test-data/finetune-jobs", "hanul.model.threads=1",
                "hanul.finetune.checkpoint-every=2", "hanul.finetune.keep-checkpoints=2"})
class FinetuneCommandTest {

    @LocalServerPort
    int port;

    @TempDir
    Path dir;

    private final String tenant = TestTenants.newTenant();
    private StringWriter out;
    private StringWriter err;
    private int exitCode;

    @Test
    void aJobFromTheCommandLineCreatedFollowedListedAndShown() throws IOException {
        Path data = Files.writeString(dir.resolve("kids.jsonl"), jsonl(12));

        String created = hanul("finetune", "create", data.toString(), "--model", "stories260K-f32", "--epochs", "1",
                "--batch-size", "4", "--suffix", "cli", "--seed", "9", "--rank", "2", "--target-modules",
                "q_proj,v_proj", "--follow");

        assertThat(exitCode).as(err.toString()).isZero();
        assertThat(created).contains("kids.jsonl: file-", "dataset kids v1, 12 examples")
                .contains("estimate: 11 training examples").contains("Step 3/3: training loss=")
                .contains("The job has successfully completed").containsPattern("succeeded, base stories260K-f32@1, "
                        + "step 3/3, train loss [0-9.]+, validation loss [0-9.]+, model ft-stories260K-f32-cli-");
        String job = created.substring(created.indexOf("ftjob-"), created.indexOf("ftjob-") + 30);

        assertThat(hanul("finetune", "list")).contains(job).containsPattern("succeeded +stories260K-f32@1 +3/3");
        assertThat(hanul("finetune", "show", job)).contains("checkpoint step 3: train loss")
                .contains("checkpoint step 2: train loss").contains("Validation loss before training");
        hanul("finetune", "cancel", job);
        assertThat(exitCode).isNotZero();
        assertThat(err.toString()).contains("HTTP 409").contains("has already succeeded");
    }

    @Test
    void aMalformedFileIsRefusedWithItsLines() throws IOException {
        Path data = Files.writeString(dir.resolve("bad.jsonl"), jsonl(2) + "\n{\"messages\": []}\n");

        hanul("finetune", "create", data.toString(), "--model", "stories260K-f32");

        assertThat(exitCode).isNotZero();
        assertThat(err.toString()).contains("HTTP 400").contains("line 3: no \"messages\" array");
        assertThat(hanul("finetune", "list")).doesNotContain("ftjob-");
    }

    private static String jsonl(int examples) {
        String[] names = {"Lily", "Tim", "Sue", "Ben", "Max", "Mia", "Tom", "Ann", "Sam", "Zoe", "Jack", "Amy"};
        var lines = new StringJoiner("\n");
        for (int i = 0; i < examples; i++) {
            lines.add("{\"messages\": [{\"role\": \"user\", \"content\": \"Who ran?\"}, {\"role\": \"assistant\", "
                    + "\"content\": \"" + names[i % names.length] + " ran.\"}]}");
        }
        return lines.toString();
    }

    private String hanul(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine command = HanulCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        String[] all = Stream.concat(Stream.of(args), Stream.of("--server", "http://localhost:" + port,
                "--actor", "tester", "--tenant", tenant)).toArray(String[]::new);
        exitCode = command.execute(all);
        return out.toString().strip();
    }
}
