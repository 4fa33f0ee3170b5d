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
