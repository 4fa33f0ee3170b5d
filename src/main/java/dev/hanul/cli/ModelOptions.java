package dev.hanul.cli;

import dev.hanul.engine.EngineConfig;
import dev.hanul.engine.InferenceEngine;
import dev.hanul.engine.LoadedModel;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command that runs a model shares. */
final class ModelOptions {

    @Option(names = {"-m", "--model"}, paramLabel = "FILE", defaultValue = "models/SmolLM2-135M-Instruct.Q4_1.gguf",
            description = "GGUF model file (default: ${DEFAULT-VALUE}).")
    Path model;

    @Option(names = {"-t", "--threads"}, paramLabel = "N",
            description = "CPU threads (default: all available processors).")
    Integer threads;

    @Option(names = "--kv-cache", paramLabel = "MiB", defaultValue = "512",
            description = "Memory for the KV cache, which bounds how long a conversation can grow "
                    + "(default: ${DEFAULT-VALUE}).")
    long kvCacheMebibytes;

    LoadedModel open() {
        return LoadedModel.open(model, threads());
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
