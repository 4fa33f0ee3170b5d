package dev.hanul.cli;

import dev.hanul.engine.generate.Generation;
import java.io.PrintWriter;

/** The one-line summary of a generation that llama.cpp users expect after the text. */
final class Stats {

    private Stats() {
    }

    static void print(PrintWriter err, Generation g) {
        err.printf("[%d prompt tokens (%d computed) at %.1f t/s; %d generated at %.1f t/s; finish: %s]%n",
                g.promptTokens(), g.computedPrompt(), g.prefillTokensPerSecond(), g.tokens().length,
                g.decodeTokensPerSecond(), g.finishReason().name().toLowerCase());
        err.flush();
    }
}
