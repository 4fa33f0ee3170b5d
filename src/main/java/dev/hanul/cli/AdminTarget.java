package dev.hanul.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every admin subcommand takes (the service and its key, {@link ServiceClient.Options}) and where it prints. */
final class AdminTarget {

    @Mixin
    ServiceClient.Options service;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    ServiceClient client() {
        return service.client();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
