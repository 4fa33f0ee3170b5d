package dev.hanul.cli;

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

    @Option(names = {"-c", "--context"}, paramLabel = "TOKENS", defaultValue = "4096",
            description = "Most tokens a conversation may hold, prompt and answer (default: ${DEFAULT-VALUE}, "
                    + "at most the model's own context).")
    int context;

    LoadedModel open() {
        return LoadedModel.open(model, threads != null ? threads : Runtime.getRuntime().availableProcessors());
    }
}
