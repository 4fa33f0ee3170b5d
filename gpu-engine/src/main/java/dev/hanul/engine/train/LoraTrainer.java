package dev.hanul.engine.train;

import dev.hanul.engine.lora.LoraAdapterWriter;
import dev.hanul.engine.model.LlamaConfig;
import dev.hanul.engine.model.LlamaModel;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;

/**
 * LoRA fine-tuning of a Llama-family model on the CPU: the base weights stay frozen as the GGUF holds them (QLoRA's
 * idea: a quantized base, float adapters; the trainer dequantizes each matrix once into floats), the adapters A and B
 * of the chosen targets are trained with AdamW. The result is written in llama.cpp's GGUF LoRA format, which
 * {@code LoraAdapter.load} serves.
 *
 * <p>The loss of a step is the weighted mean cross-entropy over all predicted tokens of its batch:
 * {@code sum(w_i * CE_i) / sum(w_i)}, the weights coming from {@link TrainingExample#lossWeights()}.
 *
 * <p>Not thread-safe: one trainer is driven by one thread (its matrix products use the common fork-join pool).
 */
public final class LoraTrainer implements AutoCloseable {

    private final LlamaModel base;
    private final LoraHyperparameters hp;
    private final String fingerprint;
    private final LoraParameters parameters;
    private final AdamW adam;
    private final LearningRateSchedule schedule;
    private final SequencePacker packer;
    private TrainingPass pass;
    private int completedSteps;

    private LoraTrainer(LlamaModel base, FrozenModel frozen, LoraHyperparameters hp) {
        this.base = base;
        this.hp = hp;
        this.fingerprint = fingerprint(frozen);
        this.parameters = LoraParameters.allocate(base.config(), hp);
        this.adam = new AdamW(parameters.all(), hp.weightDecay());
        this.schedule = new LearningRateSchedule(hp.learningRate(), hp.warmupSteps(), hp.totalSteps());
        this.packer = new SequencePacker(hp.sequenceLength());
        this.pass = new TrainingPass(frozen, parameters);
    }

    /**
     * A fresh adapter for {@code base}: A drawn as PEFT draws it (Kaiming-uniform) from {@code hp.seed()}, B = 0.
     *
     * @throws IllegalArgumentException when the model's architecture has parts training does not support yet
     */
    public static LoraTrainer start(LlamaModel base, LoraHyperparameters hp) {
        LoraTrainer trainer = new LoraTrainer(base, FrozenModel.of(base), hp);
        trainer.parameters.initialize(hp.seed());
        return trainer;
    }

    /**
     * Continues the run saved by {@link #saveCheckpoint}: the next steps are the ones the saved run would have made,
     * bit for bit.
     *
     * @throws IllegalArgumentException when the file is not an intact checkpoint or was made on another base model
     */
    public static LoraTrainer resume(LlamaModel base, Path checkpoint) {
        Checkpoint.Contents saved = Checkpoint.read(checkpoint);
        LoraTrainer trainer = new LoraTrainer(base, FrozenModel.of(base), saved.hyperparameters());
        if (!trainer.fingerprint.equals(saved.fingerprint())) {
            throw new IllegalArgumentException("%s was made on another base model (%s); this one is %s"
                    .formatted(checkpoint, saved.fingerprint(), trainer.fingerprint));
        }
        List<LoraPair> pairs = trainer.parameters.all();
        if (saved.tensors().size() != 6 * pairs.size()) {
            throw new IllegalArgumentException(checkpoint + ": checkpoint holds a different set of adapted matrices");
        }
        for (int i = 0; i < pairs.size(); i++) {
            LoraPair pair = pairs.get(i);
            float[][] into = {pair.a, pair.b, trainer.adam.firstA[i], trainer.adam.secondA[i],
                    trainer.adam.firstB[i], trainer.adam.secondB[i]};
            for (int j = 0; j < 6; j++) {
                float[] values = saved.tensors().get(6 * i + j);
                if (values.length != into[j].length) {
                    throw new IllegalArgumentException(checkpoint + ": tensor sizes do not match the model's shape");
                }
                System.arraycopy(values, 0, into[j], 0, values.length);
            }
        }
        trainer.completedSteps = saved.completedSteps();
        return trainer;
    }

    /**
     * One optimizer step over {@code batch}: the batch is split into {@code gradientAccumulationSteps} micro-batches,
     * each packed into rows of {@code sequenceLength} tokens (examples never attend to each other), their gradients
     * added up, clipped to {@code maxGradNorm}, and applied by AdamW at the scheduled learning rate.
     *
     * @throws IllegalArgumentException when an example is longer than {@code sequenceLength}, has a token outside the
     *                                  vocabulary, or the batch carries no loss weight at all
     * @throws IllegalStateException    when the run already made its {@code totalSteps}
     */
    public TrainingStep step(List<TrainingExample> batch) {
        TrainingPass training = open();
        if (completedSteps >= hp.totalSteps()) {
            throw new IllegalStateException("the run has made all of its %d steps".formatted(hp.totalSteps()));
        }
        long started = System.nanoTime();
        double weight = check(batch);
        parameters.zeroGradients();
        float gradientScale = (float) (1.0 / weight);
        double loss = 0;
        long tokens = 0;
        int row = 0;
        int micro = hp.gradientAccumulationSteps();
        for (int m = 0; m < micro; m++) {
            List<TrainingExample> slice = batch.subList(m * batch.size() / micro, (m + 1) * batch.size() / micro);
            for (PackedRow packed : packer.pack(slice)) {
                TrainingPass.Masking masking = new TrainingPass.Masking(hp.dropout(), hp.seed(), completedSteps, row++);
                loss += training.run(packed, masking, gradientScale);
                tokens += packed.length();
            }
        }
        double norm = parameters.gradientNorm();
        if (hp.maxGradNorm() > 0) {
            double clip = hp.maxGradNorm() / (norm + 1e-6);
            if (clip < 1) {
                parameters.scaleGradients((float) clip);
            }
        }
        float lr = schedule.at(completedSteps);
        adam.update(parameters.all(), completedSteps + 1, lr);
        completedSteps++;
        return new TrainingStep(completedSteps, (float) (loss / weight), (float) norm, lr, tokens,
                System.nanoTime() - started);
    }

    /**
     * Weighted mean cross-entropy of {@code examples} under the current adapter, without dropout.
     *
     * @throws IllegalArgumentException as {@link #step} does for bad examples
     */
    public float validationLoss(List<TrainingExample> examples) {
        TrainingPass training = open();
        double weight = check(examples);
        double loss = 0;
        for (PackedRow packed : packer.pack(examples)) {
            loss += training.run(packed, TrainingPass.Masking.NONE, 0f);
        }
        return (float) (loss / weight);
    }

    /**
     * The logits of every position of {@code tokens} under the current adapter (no dropout), {@code tokens.length}
     * rows of the vocabulary size: what serving the written adapter must reproduce.
     */
    public float[] logits(int[] tokens) {
        TrainingPass training = open();
        checkTokens(tokens, 0);
        return training.logits(tokens);
    }

    public int completedSteps() {
        return completedSteps;
    }

    public LoraHyperparameters hyperparameters() {
        return hp;
    }

    /** Floats in all A and B matrices together. */
    public long trainableParameters() {
        return parameters.parameterCount();
    }

    /**
     * Writes adapter, AdamW moments and step count to {@code file}: a temporary file, fsync'd, renamed atomically over
     * {@code file}.
     */
    public void saveCheckpoint(Path file) {
        open();
        Checkpoint.write(file, hp, fingerprint, completedSteps, parameters, adam);
    }

    /** Writes the adapter as a llama.cpp GGUF LoRA file (what {@code LoraAdapter.load} and llama.cpp read). */
    public void writeAdapter(Path gguf, String name) {
        open();
        LoraAdapterWriter writer = new LoraAdapterWriter(base.config().architecture(), hp.alpha()).name(name);
        for (LoraPair pair : parameters.all()) {
            writer.add(new LoraAdapterWriter.Pair(pair.target.tensorName(pair.layer), pair.rank, pair.in, pair.out,
                    pair.a.clone(), pair.b.clone()));
        }
        writer.write(gguf);
    }

    /** Drops the dequantized base weights; the trainer cannot be used afterwards. */
    @Override
    public void close() {
        pass = null;
    }

    /** For tests: the trained pairs. */
    LoraParameters parameters() {
        return parameters;
    }

    /** For tests: the pass that computes losses and gradients. */
    TrainingPass pass() {
        return open();
    }

    private TrainingPass open() {
        if (pass == null) {
            throw new IllegalStateException("the trainer is closed");
        }
        return pass;
    }

    private double check(List<TrainingExample> examples) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one example");
        }
        double weight = 0;
        for (int e = 0; e < examples.size(); e++) {
            checkTokens(examples.get(e).tokens(), e);
            weight += examples.get(e).weight();
        }
        if (!(weight > 0)) {
            throw new IllegalArgumentException(
                    "no token of the batch has a loss weight above 0: nothing to learn from (mark the assistant turns)");
        }
        return weight;
    }

    private void checkTokens(int[] tokens, int example) {
        int vocabulary = base.config().vocabularySize();
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= vocabulary) {
                throw new IllegalArgumentException("example %d: token %d is %d, outside the vocabulary of %d"
                        .formatted(example, i, tokens[i], vocabulary));
            }
        }
        if (tokens.length > hp.sequenceLength()) {
            throw new IllegalArgumentException(("example %d has %d tokens, more than the sequence length %d: shorten "
                    + "it or raise sequenceLength").formatted(example, tokens.length, hp.sequenceLength()));
        }
    }

    private static String fingerprint(FrozenModel model) {
        LlamaConfig c = model.config;
        CRC32 crc = new CRC32();
        for (float v : model.outputNorm) {
            int bits = Float.floatToRawIntBits(v);
            crc.update(new byte[] {(byte) bits, (byte) (bits >> 8), (byte) (bits >> 16), (byte) (bits >> 24)});
        }
        // A few rows of every matrix kind tell apart models of one shape (fine-tunes, quantizations).
        model.embedding.hashRows(crc, 16);
        for (FrozenModel.Layer layer : model.layers) {
            layer.query().hashRows(crc, 2);
            layer.down().hashRows(crc, 2);
        }
        return "%s dim %d, %d layers, ffn %d, %d/%d heads, vocabulary %d, weights crc %08x".formatted(c.architecture(),
                c.embeddingLength(), c.blockCount(), c.feedForwardLength(), c.headCount(), c.headCountKv(),
                c.vocabularySize(), crc.getValue());
    }
}
