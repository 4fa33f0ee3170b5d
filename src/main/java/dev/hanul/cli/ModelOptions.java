package dev.hanul.cli;

import dev.hanul.engine.EngineConfig;
import dev.hanul.engine.InferenceEngine;
import dev.hanul.engine.LoadedModel;
import dev.hanul.model.CatalogEntry;
import dev.hanul.model.ModelCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command that runs a model shares. */
final class ModelOptions {

    @Option(names = {"-m", "--model"}, paramLabel = "FILE|NAME", defaultValue = "models/SmolLM2-135M-Instruct.Q4_1.gguf",
            description = "GGUF model file, or the name of a catalog model pulled with `hanul model pull`"
                    + " (default: ${DEFAULT-VALUE}).")
    Path model;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where `hanul model pull` put catalog models, under models/ (default: HANUL_DATA_DIR, else"
                    + " ./data).")
    Path dataDir;

    @Option(names = {"-t", "--threads"}, paramLabel = "N",
            description = "CPU threads (default: all available processors).")
    Integer threads;

    @Option(names = "--kv-cache", paramLabel = "MiB", defaultValue = "512",
            description = "Memory for the KV cache, which bounds how long a conversation can grow "
                    + "(default: ${DEFAULT-VALUE}).")
    long kvCacheMebibytes;

    LoadedModel open() {
        return LoadedModel.open(file(), threads());
    }

    /** The file to open: {@code --model} itself, or where {@code model pull NAME} put the catalog model NAME. */
    Path file() {
        String value = model.toString();
        if (Files.exists(model) || value.endsWith(".gguf") || value.contains("/")) {
            return model;
        }
        Path data = dataDir != null ? dataDir : DefaultDataDirectory.get();
        CatalogEntry entry = ModelCatalog.forDataDirectory(data).require(value);
        Path file = entry.fileIn(data.resolve("models"));
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("%s is not downloaded (no %s); run `bin/hanul model pull %s`"
                    .formatted(entry.name(), file, entry.name()));
        }
        return file;
    }

    /** An engine over the loaded model; the caller closes it before the model. */
    InferenceEngine engine(LoadedModel loaded) {
        EngineConfig d = EngineConfig.defaults();
        EngineConfig config = new EngineConfig(kvCacheMebibytes << 20, d.blockSize(), d.maxRunningSequences(),
                d.maxWaiting(), d.maxBatchTokens(), d.prefillChunk(), threads());
        return new InferenceEngine(loaded.model(), loaded.tokenizer(), config);
    }

    private int threads() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }
}
