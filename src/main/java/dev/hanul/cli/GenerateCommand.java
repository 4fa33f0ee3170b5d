package dev.hanul.cli;

import dev.hanul.engine.LoadedModel;
import dev.hanul.engine.generate.Generation;
import dev.hanul.engine.generate.Generator;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

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
    public Integer call() {
        try (LoadedModel loaded = modelOptions.open()) {
            Generator generator = new Generator(loaded.model(), loaded.tokenizer(), modelOptions.context, 256);
            PrintWriter out = spec.commandLine().getOut();
            Generation generation = generator.generate(prompt, samplingOptions.params(), text -> {
                out.print(text);
                out.flush();
            });
            out.println();
            out.flush();
            if (stats) {
                Stats.print(spec.commandLine().getErr(), generation);
            }
            return 0;
        }
    }
}
