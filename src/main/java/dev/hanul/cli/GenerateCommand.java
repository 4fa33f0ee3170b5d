package dev.hanul.cli;

import dev.hanul.engine.InferenceEngine;
import dev.hanul.engine.LoadedModel;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hanul generate}: completes a raw prompt, streaming the text to standard output. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Complete a prompt with a local GGUF model, streaming the text. An empty prompt starts "
                + "from the beginning-of-sequence token.")
final class GenerateCommand implements Callable<Integer> {

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    SamplingOptions samplingOptions;

    @Option(names = {"-p", "--prompt"}, defaultValue = "", description = "The prompt (special tokens are honored).")
    String prompt;

    @Option(names = "--stats", description = "Print token counts and speeds to standard error at the end.")
    boolean stats;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        try (LoadedModel loaded = modelOptions.open(); InferenceEngine engine = modelOptions.engine(loaded)) {
            PrintWriter out = spec.commandLine().getOut();
            TerminalStream.Outcome outcome = TerminalStream.run(engine,
                    loaded.tokenizer().encodePrompt(prompt), samplingOptions.params(), out);
            out.println();
            out.flush();
            if (stats) {
                Stats.print(spec.commandLine().getErr(), outcome);
            }
            return 0;
        }
    }
}
