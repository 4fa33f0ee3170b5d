package dev.hanul.engine.train;

import dev.hanul.engine.backend.cpu.CpuBackend;
import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.lora.LoraTarget;
import dev.hanul.engine.model.LlamaModel;
import dev.hanul.engine.synth.ModelShape;
import dev.hanul.engine.synth.SyntheticModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;

/**
 * The inputs of the PyTorch + PEFT reference run (src/test/resources/reference/train/make_peft_reference.py): the tiny
 * model's GGUF and the adapter as this trainer initializes it (A from the seed, B = 0), so that both sides start from
 * the same weights whatever their random generators. {@link PeftReferenceTest} rebuilds the same files.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes
 * dev.hanul.engine.train.PeftReferenceInputs <dir>}
 */
public final class PeftReferenceInputs {

    static final ModelShape SHAPE = new ModelShape(64, 2, 128, 4, 2, 96, 128, 10000f, true);
    static final long MODEL_SEED = 21;

    /** Dropout 0: the two sides' dropout masks come from different generators and could never agree. */
    static final LoraHyperparameters HYPERPARAMETERS = new LoraHyperparameters(4, 8f, 0f,
            EnumSet.allOf(LoraTarget.class), 1e-2f, 5, 50, 0.01f, 1f, 2, 64, 1234);

    private PeftReferenceInputs() {
    }

    static Path model(Path dir) {
        Path file = dir.resolve("peft-reference-model.gguf");
        SyntheticModel.write(SHAPE, GgmlType.F32, MODEL_SEED, null, file);
        return file;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]));
        Path model = model(dir);
        try (GgufFile gguf = GgufFile.open(model); CpuBackend cpu = new CpuBackend(1);
             LoraTrainer trainer = LoraTrainer.start(LlamaModel.load(gguf, cpu), HYPERPARAMETERS)) {
            trainer.writeAdapter(dir.resolve("peft-reference-init.lora.gguf"), "init");
        }
        System.out.println("wrote " + model + " and the initial adapter to " + dir);
    }
}
