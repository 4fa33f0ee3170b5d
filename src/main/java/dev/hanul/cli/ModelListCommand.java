package dev.hanul.cli;

import dev.hanul.engine.model.Architecture;
import dev.hanul.model.CatalogEntry;
import dev.hanul.model.ModelCatalog;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hanul model list}: the catalog, with what is downloaded and what this build can run. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the model catalog: names for `serve --model` and `model pull`, what is downloaded, and"
                + " what this build can run.",
        footer = "%nAdd or override entries in <data-dir>/catalog.json (the format of the built-in"
                + " dev/hanul/model/catalog.json).%n")
final class ModelListCommand implements Callable<Integer> {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "The service's data directory (default: HANUL_DATA_DIR, else ./data).")
    Path dataDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path data = dataDir != null ? dataDir : DefaultDataDirectory.get();
        Path models = data.resolve("models");
        PrintWriter out = spec.commandLine().getOut();
        String row = "%-16s %-7s %-7s %8s  %-24s %-22s %s%n";
        out.printf(row, "NAME", "PARAMS", "QUANT", "SIZE", "LICENSE", "STATUS", "USE");
        for (CatalogEntry entry : ModelCatalog.forDataDirectory(data).entries()) {
            String status = entry.unsupportedReason().map(reason -> "cannot run: " + entry.architecture())
                    .orElse(Files.isRegularFile(entry.fileIn(models)) ? "downloaded" : "can run");
            out.printf(row, entry.name() + (entry.isDefault() ? " *" : ""), nullToDash(entry.parameters()),
                    nullToDash(entry.quantization()), entry.sizeMb() > 0 ? "%,d MB".formatted(entry.sizeMb()) : "-",
                    nullToDash(entry.license()), status, nullToDash(entry.use()));
        }
        out.printf("%n* the default model. Files in %s. Architectures this build runs: %s; "
                + "`cannot run` models are refused by serve and pull.%n", models.toAbsolutePath(),
                Architecture.supportedNames());
        return 0;
    }

    private static String nullToDash(String value) {
        return value == null || value.isBlank() ? "-" : value;
    }
}
