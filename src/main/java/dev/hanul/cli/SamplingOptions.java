package dev.hanul.cli;

import dev.hanul.engine.sampling.SamplingParams;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Sampling options, with llama.cpp's defaults. */
final class SamplingOptions {

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "0.8",
            description = "Randomness; 0 decodes greedily (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "40",
            description = "Keep the K most likely tokens; 0 keeps all (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--top-p", paramLabel = "P", defaultValue = "0.95",
            description = "Nucleus sampling threshold (default: ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = "--min-p", paramLabel = "P", defaultValue = "0.05",
            description = "Drop tokens below P times the best one's probability (default: ${DEFAULT-VALUE}).")
    float minP;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed, for repeatable output.")
    Long seed;

    @Option(names = {"-n", "--max-tokens"}, paramLabel = "N", defaultValue = "256",
            description = "Most tokens to generate (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop when this text is generated (repeatable).")
    List<String> stop = new ArrayList<>();

    SamplingParams params() {
        return new SamplingParams(temperature, topK, topP, minP, seed, maxTokens, stop);
    }
}
