package dev.hanul.cli;

import dev.hanul.engine.gguf.GgufException;
import dev.hanul.model.ModelDownloadException;
import java.io.UncheckedIOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine;

/**
 * The {@code hanul} command line ({@code bin/hanul}, and the jar's main class). Only {@code serve} starts Spring;
 * the other commands run the engine directly, so they start fast and stay small. A new command is a class in this
 * package, listed in {@code subcommands}.
 */
@Command(name = "hanul",
        mixinStandardHelpOptions = true,
        versionProvider = HanulCommand.Version.class,
        description = "Hanul: documents in, grounded answers out, on one JVM.",
        subcommands = {
                ServeCommand.class,
                GenerateCommand.class,
                ChatCommand.class,
                IngestCommand.class,
                BenchCommand.class,
                ModelCommand.class,
                PromptsCommand.class,
                EvalCommand.class,
                KeysCommand.class,
                FinetuneCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class HanulCommand {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line with Hanul's conventions: enum values in any case, and bad input as one clear line. On
     * {@code serve}, a word that is not one of its options reaches its {@code --name=value} parameter, which refuses
     * anything not of that form: picocli then reports the word with the usage (the valid options), exit status 2.
     */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new HanulCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(HanulCommand::reportProblem);
        commandLine.getSubcommands().get("serve").setUnmatchedOptionsArePositionalParams(true);
        return commandLine;
    }

    /**
     * Problems with the user's input (a missing or corrupt model file, an out-of-range value, a prompt longer than the
     * context) are reported as one line that names the file or value; anything else is a bug and keeps its trace.
     */
    private static int reportProblem(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult)
            throws Exception {
        if (e instanceof GgufException || e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e instanceof UncheckedIOException || e instanceof ModelDownloadException) {
            commandLine.getErr().println(commandLine.getColorScheme().errorText("hanul: " + e.getMessage()));
            return 1;
        }
        throw e;
    }

    /** The version from the jar's manifest, and the Java runtime, which matters as much in a bug report. */
    static final class Version implements IVersionProvider {

        @Override
        public String[] getVersion() {
            String version = HanulCommand.class.getPackage().getImplementationVersion();
            return new String[] {
                    "hanul " + (version != null ? version : "(development build)"),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")",
            };
        }
    }
}
