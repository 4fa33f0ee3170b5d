package dev.hanul.cli;

import dev.hanul.model.CatalogEntry;
import dev.hanul.model.ModelCatalog;
import dev.hanul.model.ModelDownloader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hanul model pull}: downloads a model of the catalog by name (or any hub file, or any address) into the data
 * directory's {@code models/}, where {@code serve --model NAME} finds it.
 */
@Command(name = "pull", mixinStandardHelpOptions = true,
        description = "Download a model by its catalog name (default: the catalog's default model), or a file of a"
                + " Hugging Face repository, or any address; with progress, resume after an interruption and a"
                + " SHA-256 check.")
final class ModelPullCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAME", arity = "0..1", description = "A name from `hanul model list`.")
    String name;

    @ArgGroup(exclusive = true)
    Source source;

    static final class Source {
        @ArgGroup(exclusive = false)
        HubFile hubFile;

        @Option(names = "--url", required = true, description = "Download from this address.")
        URI url;
    }

    static final class HubFile {
        @Option(names = "--repo", required = true, description = "Hugging Face repository.")
        String repo;

        @Option(names = "--file", required = true, description = "File in the repository.")
        String file;
    }

    @Option(names = "--sha256", description = "Expected SHA-256 (default: the catalog's, else the hub's).")
    String sha256;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "Hugging Face compatible hub or mirror (default: HF_ENDPOINT, else https://huggingface.co).")
    URI endpoint;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "The service's data directory; files go to its models/ (default: HANUL_DATA_DIR, else"
                    + " ./data).")
    Path dataDir;

    @Option(names = "--dir", paramLabel = "DIR", description = "Put the file here instead of <data-dir>/models.")
    Path dir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path data = dataDir != null ? dataDir : DefaultDataDirectory.get();
        Path target = dir != null ? dir : data.resolve("models");
        URI hub = endpoint != null ? endpoint : ModelDownloader.defaultEndpoint();
        URI from;
        String file;
        String expected = sha256;
        String label;
        if (source != null && name != null) {
            throw new ParameterException(spec.commandLine(), "give a NAME or --repo/--file or --url, not both");
        }
        if (source != null && source.url != null) {
            from = source.url;
            file = Path.of(source.url.getPath()).getFileName().toString();
            label = file;
        } else if (source != null) {
            from = ModelDownloader.huggingFace(hub, source.hubFile.repo, source.hubFile.file);
            file = source.hubFile.file;
            label = file;
        } else {
            CatalogEntry entry = catalogEntry(ModelCatalog.forDataDirectory(data));
            from = entry.source(hub);
            file = entry.file();
            expected = expected != null ? expected : entry.sha256();
            label = entry.name();
        }
        PrintWriter err = spec.commandLine().getErr();
        err.printf("Pulling %s from %s%n", label, from);
        ProgressBar bar = new ProgressBar(err, label, "MB", 20);
        Path pulled = new ModelDownloader().download(from, target.resolve(file), expected, bar::update);
        bar.done();
        spec.commandLine().getOut().println(pulled);
        return 0;
    }

    private CatalogEntry catalogEntry(ModelCatalog catalog) {
        CatalogEntry entry;
        try {
            entry = name != null ? catalog.require(name) : catalog.defaultModel();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        entry.unsupportedReason().ifPresent(reason -> {
            throw new ParameterException(spec.commandLine(), "%s is not pulled: %s".formatted(entry.name(), reason));
        });
        return entry;
    }
}
