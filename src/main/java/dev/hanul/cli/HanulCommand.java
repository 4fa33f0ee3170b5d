package dev.hanul.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

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
                CommandLine.HelpCommand.class,
        })
public final class HanulCommand {

    public static void main(String[] args) {
        System.exit(new CommandLine(new HanulCommand()).execute(args));
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
