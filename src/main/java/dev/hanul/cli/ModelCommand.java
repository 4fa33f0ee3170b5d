package dev.hanul.cli;

import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.gguf.GgufTensor;
import dev.hanul.engine.synth.FileType;
import dev.hanul.engine.synth.ModelShape;
import dev.hanul.engine.synth.SyntheticModel;
import java.io.PrintWriter;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code hanul model}: the catalog, downloads, a look inside GGUF files, the registry's versions and aliases. */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "List, pull, inspect and synthesize GGUF models; manage a running service's versions and aliases.",
        subcommands = {ModelListCommand.class, ModelPullCommand.class, ModelCommand.Info.class,
                ModelCommand.Synth.class, ModelVersionsCommand.class, AliasCommand.class})
final class ModelCommand {

    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Print a GGUF file's metadata and tensor types.")
    static final class Info implements Callable<Integer> {

        @Parameters(paramLabel = "FILE", description = "The GGUF file.")
        Path file;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (GgufFile gguf = GgufFile.open(file)) {
                out.printf("%s: GGUF v%d, %d tensors%n", file, gguf.version(), gguf.tensors().size());
                gguf.metadata().forEach((key, value) -> out.printf("  %-45s %s%n", key, describe(value)));
                Map<GgmlType, Long> bytesByType = new TreeMap<>();
                for (GgufTensor tensor : gguf.tensors().values()) {
                    bytesByType.merge(tensor.type(), tensor.data().byteSize(), Long::sum);
                }
                bytesByType.forEach((type, bytes) -> out.printf("  tensors %-6s %,d bytes%n", type, bytes));
            }
            return 0;
        }

        private static String describe(Object value) {
            if (value.getClass().isArray()) {
                return "[%d values]".formatted(Array.getLength(value));
            }
            String text = value.toString().replace("\n", "\\n");
            return text.length() > 100 ? text.substring(0, 100) + "..." : text;
        }
    }

    @Command(name = "synth", mixinStandardHelpOptions = true,
            description = "Write a Llama GGUF with random weights in the shape of a known model, for benchmarks.")
    static final class Synth implements Callable<Integer> {

        @Option(names = "--like", required = true, paramLabel = "SHAPE",
                description = "The model shape: ${COMPLETION-CANDIDATES}.", completionCandidates = Shapes.class)
        String like;

        @Option(names = "--type", defaultValue = "Q8_0", paramLabel = "TYPE",
                description = "Weight type: F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q4_K, Q5_K, or a mix as "
                        + "llama-quantize writes it: Q4_K_M, Q6_K (default: ${DEFAULT-VALUE}).",
                converter = FileTypeConverter.class)
        FileType type;

        @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--tokenizer-from", paramLabel = "FILE",
                description = "Copy the tokenizer of this GGUF, so the model can be prompted with text.")
        Path tokenizerFrom;

        @Parameters(paramLabel = "OUT", description = "The file to write.")
        Path out;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ModelShape shape = ModelShape.named(like);
            SyntheticModel.write(shape, type, seed, tokenizerFrom, out);
            spec.commandLine().getOut().printf("Wrote %s: %s, %s weights%n", out, shape, type);
            return 0;
        }
    }

    /** {@code --type}'s value: a type or a mix, refused with the names there are. */
    static final class FileTypeConverter implements CommandLine.ITypeConverter<FileType> {
        @Override
        public FileType convert(String value) {
            try {
                return FileType.named(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** The names of the known shapes, for help and completion. */
    static final class Shapes implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of(ModelShape.names()).iterator();
        }
    }
}
