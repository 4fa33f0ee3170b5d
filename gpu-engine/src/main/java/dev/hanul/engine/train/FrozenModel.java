package dev.hanul.engine.train;

import dev.hanul.engine.backend.Buffer;
import dev.hanul.engine.model.Architecture;
import dev.hanul.engine.model.LayerWeights;
import dev.hanul.engine.model.LlamaConfig;
import dev.hanul.engine.model.LlamaModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The base model's weights as training reads them: every matrix dequantized once to floats ({@link FrozenMatrix}),
 * norm gains and biases as float arrays, RoPE frequencies per layer. Nothing here changes during training.
 */
final class FrozenModel {

    /** One transformer block. {@code ropeFrequencies} is null on layers without RoPE; biases are null when absent. */
    record Layer(float[] attentionNorm, FrozenMatrix query, FrozenMatrix key, FrozenMatrix value,
                 FrozenMatrix attentionOutput, float[] feedForwardNorm, FrozenMatrix gate, FrozenMatrix up,
                 FrozenMatrix down, float[] queryBias, float[] keyBias, float[] valueBias, float[] ropeFrequencies) {
    }

    final LlamaConfig config;
    final boolean neoxRope;
    final FrozenMatrix embedding;
    final FrozenMatrix output;
    final float[] outputNorm;
    final Layer[] layers;

    private FrozenModel(LlamaConfig config, FrozenMatrix embedding, FrozenMatrix output, float[] outputNorm,
                        Layer[] layers) {
        this.config = config;
        this.neoxRope = config.traits().neoxRope();
        this.embedding = embedding;
        this.output = output;
        this.outputNorm = outputNorm;
        this.layers = layers;
    }

    /**
     * Reads the weights of {@code model}.
     *
     * @throws IllegalArgumentException when the architecture has parts training does not differentiate yet (the
     *                                  message names them), or the model lives on a backend that cannot be read back
     */
    static FrozenModel of(LlamaModel model) {
        checkSupported(model);
        LlamaConfig config = model.config();
        FrozenMatrix embedding = FrozenMatrix.of(model.tokenEmbedding());
        FrozenMatrix output = model.output() == model.tokenEmbedding() ? embedding : FrozenMatrix.of(model.output());
        Layer[] layers = new Layer[config.blockCount()];
        for (int l = 0; l < layers.length; l++) {
            LayerWeights w = model.layer(l);
            layers[l] = new Layer(read(model, w.attentionNorm()), FrozenMatrix.of(w.query()),
                    FrozenMatrix.of(w.key()), FrozenMatrix.of(w.value()), FrozenMatrix.of(w.attentionOutput()),
                    read(model, w.feedForwardNorm()), FrozenMatrix.of(w.gate()), FrozenMatrix.of(w.up()),
                    FrozenMatrix.of(w.down()), read(model, w.queryBias()), read(model, w.keyBias()),
                    read(model, w.valueBias()), model.ropeFrequencies(l));
        }
        return new FrozenModel(config, embedding, output, read(model, model.outputNorm()), layers);
    }

    private static float[] read(LlamaModel model, Buffer buffer) {
        if (buffer == null) {
            return null;
        }
        float[] values = new float[buffer.size()];
        model.backend().read(buffer, values, values.length);
        return values;
    }

    private static void checkSupported(LlamaModel model) {
        LlamaConfig c = model.config();
        Architecture t = c.traits();
        List<String> unsupported = new ArrayList<>();
        if (t.gelu()) {
            unsupported.add("GeGLU feed-forward");
        }
        if (t.embeddingScale()) {
            unsupported.add("scaled embeddings");
        }
        if (t.postNorms() || !t.preNorms()) {
            unsupported.add("post-norms");
        }
        if (model.layer(0).queryNorm() != null) {
            unsupported.add("per-head Q/K norms");
        }
        if (c.slidingWindow() > 0) {
            unsupported.add("sliding-window attention");
        }
        if (c.attentionSoftCap() > 0 || c.finalSoftCap() > 0) {
            unsupported.add("soft-capping");
        }
        if (model.fusedQkv() || model.fusedGateUp()) {
            unsupported.add("fused QKV / gate-up matrices");
        }
        if (!unsupported.isEmpty()) {
            throw new IllegalArgumentException("LoRA training does not support %s models yet (%s); supported: Llama, "
                    .formatted(c.architecture(), String.join(", ", unsupported))
                    + "Mistral, Qwen2, SmolLM3 and other models without these parts");
        }
    }

    int vocabularySize() {
        return config.vocabularySize();
    }
}
