package dev.hanul.cli;

import java.io.PrintWriter;

/** The one-line summary of a generation that llama.cpp users expect after the text. */
final class Stats {

    private Stats() {
    }

    static void print(PrintWriter err, TerminalStream.Outcome o) {
        err.printf("[%d prompt tokens (%d cached) at %.1f t/s; %d generated at %.1f t/s; finish: %s]%n",
                o.usage().promptTokens(), o.usage().cachedPromptTokens(), o.promptTokensPerSecond(),
                o.usage().completionTokens(), o.decodeTokensPerSecond(), o.reason().name().toLowerCase());
        err.flush();
    }
}
