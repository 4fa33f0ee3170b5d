package dev.hanul.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line as a user meets it first: help, version, and a mistake. */
class HanulCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CommandLine hanul = HanulCommand.commandLine()
            .setOut(new PrintWriter(out))
            .setErr(new PrintWriter(err));

    @Test
    void helpListsTheCommands() {
        assertThat(hanul.execute("--help")).isZero();
        assertThat(out.toString()).contains("Usage: hanul").contains("serve").contains("Run the Hanul service");
    }

    @Test
    void serveHelpExplainsSpringSettings() {
        assertThat(hanul.execute("serve", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: hanul serve").contains("--server.port=9090");
    }

    @Test
    void serveRefusesAWordThatIsNeitherOptionNorSetting() {
        assertThat(hanul.execute("serve", "--port", "9000", "stray")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("'stray'").contains("--port=PORT");
    }

    @Test
    void serveRefusesAnUnknownModelNameAndListsTheCatalog() {
        assertThat(hanul.execute("serve", "--model", "nosuch:7b")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("no model named 'nosuch:7b'").contains("smollm2:135m")
                .contains("llama3.2:1b");
    }

    @Test
    void serveRefusesACatalogModelThisBuildCannotRunAndSaysWhy() {
        assertThat(hanul.execute("serve", "--model", "exaone3.5:2.4b")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("exaone3.5:2.4b cannot be served by this build")
                .contains("architecture 'exaone' is not supported").contains("Models it can run: smollm2:135m");
    }

    @Test
    void serveRefusesAMissingModelFile() {
        assertThat(hanul.execute("serve", "--model", "no/such/model.gguf")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("no model file").contains("model.gguf");
    }

    @Test
    void versionNamesHanulAndJava() {
        assertThat(hanul.execute("--version")).isZero();
        assertThat(out.toString()).contains("hanul ").contains("Java " + Runtime.version().feature());
    }

    @Test
    void missingCommandIsAUsageError() {
        assertThat(hanul.execute()).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("Missing required subcommand").contains("Usage: hanul");
    }
}
