package dev.hanul.engine.train;

import dev.hanul.engine.lora.LoraTarget;
import dev.hanul.engine.model.LlamaConfig;

/**
 * Forward and backward through the Llama block for one packed row, with gradients for the LoRA pairs only: the base
 * weights are frozen, so backward computes the gradient of every activation (through the frozen matrices' transposes)
 * but never a base weight's gradient. The forward pass keeps what backward needs per layer ({@link Tape}); attention
 * probabilities are recomputed rather than kept.
 */
final class TrainingPass {

    /** Loss rows whose logits are materialized at once: bounds the {@code rows x vocabulary} memory. */
    private static final int LOGIT_BLOCK = 16;

    /** What the forward pass of one layer keeps for backward. */
    private static final class Tape {
        float[] x;
        float[] inverse1;
        float[] h1;
        float[] q;
        float[] k;
        float[] v;
        float[] attention;
        float[] lse;
        float[] xMid;
        float[] inverse2;
        float[] h2;
        float[] gate;
        float[] up;
        float[] activation;
        final float[][] mids = new float[LoraTarget.values().length][];
    }

    /** Where a row's dropout masks come from; {@link #NONE} in evaluation. */
    record Masking(float p, long seed, int step, int row) {
        static final Masking NONE = new Masking(0f, 0, 0, 0);

        boolean active() {
            return p > 0;
        }

        long stream(int layer, LoraTarget target) {
            return Dropout.stream(seed, step, row, layer, target.ordinal());
        }
    }

    private final FrozenModel model;
    private final LoraParameters lora;
    private final LlamaConfig config;
    private final CausalAttention attention;

    TrainingPass(FrozenModel model, LoraParameters lora) {
        this.model = model;
        this.lora = lora;
        this.config = model.config;
        this.attention = new CausalAttention(config.headCount(), config.headCountKv(), config.headDim(),
                config.attentionScale());
    }

    /**
     * Runs {@code row} forward and returns {@code sum of weight * cross-entropy} over its weighted positions; with
     * {@code gradientScale != 0} also runs backward, adding {@code gradientScale * d(that sum)} to the pairs'
     * gradients.
     */
    double run(PackedRow row, Masking masking, float gradientScale) {
        int n = row.length();
        Tape[] tapes = new Tape[model.layers.length];
        float[] x = forward(row, masking, tapes);
        boolean train = gradientScale != 0;
        float[] dx = train ? new float[x.length] : null;
        double loss = lossAndGradient(row, x, gradientScale, dx);
        if (train) {
            for (int l = model.layers.length - 1; l >= 0; l--) {
                dx = backwardLayer(l, tapes[l], row, masking, dx, n);
            }
        }
        return loss;
    }

    /** Logits of every position of {@code tokens} (one example, no dropout): {@code tokens x vocabulary}. */
    float[] logits(int[] tokens) {
        PackedRow row = new SequencePacker(tokens.length).pack(java.util.List.of(TrainingExample.allTokens(tokens)))
                .getFirst();
        float[] x = forward(row, Masking.NONE, new Tape[model.layers.length]);
        int n = tokens.length;
        int dim = config.embeddingLength();
        float[] h = new float[n * dim];
        RmsNorm.forward(x, model.outputNorm, n, dim, config.rmsEps(), h, new float[n]);
        float[] logits = new float[n * config.vocabularySize()];
        model.output.multiply(h, n, logits);
        return logits;
    }

    private float[] forward(PackedRow row, Masking masking, Tape[] tapes) {
        int n = row.length();
        int dim = config.embeddingLength();
        float[] x = new float[n * dim];
        for (int t = 0; t < n; t++) {
            model.embedding.copyRow(row.tokens()[t], x, t * dim);
        }
        for (int l = 0; l < model.layers.length; l++) {
            Tape tape = new Tape();
            tapes[l] = tape;
            x = forwardLayer(l, tape, row, masking, x, n);
        }
        return x;
    }

    private float[] forwardLayer(int l, Tape tape, PackedRow row, Masking masking, float[] x, int n) {
        FrozenModel.Layer w = model.layers[l];
        int dim = config.embeddingLength();
        int ffn = config.feedForwardLength();
        int qDim = config.queryDim();
        tape.x = x;
        tape.inverse1 = new float[n];
        tape.h1 = new float[n * dim];
        RmsNorm.forward(x, w.attentionNorm(), n, dim, config.rmsEps(), tape.h1, tape.inverse1);
        tape.q = project(w.query(), l, LoraTarget.QUERY, tape.h1, n, w.queryBias(), tape, masking);
        tape.k = project(w.key(), l, LoraTarget.KEY, tape.h1, n, w.keyBias(), tape, masking);
        tape.v = project(w.value(), l, LoraTarget.VALUE, tape.h1, n, w.valueBias(), tape, masking);
        rope(w, tape.q, tape.k, row, n, 1);
        tape.attention = new float[n * qDim];
        tape.lse = new float[n * config.headCount()];
        attention.forward(tape.q, tape.k, tape.v, n, row.sequenceStart(), tape.attention, tape.lse);
        float[] projected = project(w.attentionOutput(), l, LoraTarget.ATTENTION_OUTPUT, tape.attention, n, null,
                tape, masking);
        float[] xMid = new float[n * dim];
        for (int i = 0; i < xMid.length; i++) {
            xMid[i] = x[i] + projected[i];
        }
        tape.xMid = xMid;
        tape.inverse2 = new float[n];
        tape.h2 = new float[n * dim];
        RmsNorm.forward(xMid, w.feedForwardNorm(), n, dim, config.rmsEps(), tape.h2, tape.inverse2);
        tape.gate = project(w.gate(), l, LoraTarget.GATE, tape.h2, n, null, tape, masking);
        tape.up = project(w.up(), l, LoraTarget.UP, tape.h2, n, null, tape, masking);
        float[] activation = new float[n * ffn];
        for (int i = 0; i < activation.length; i++) {
            float g = tape.gate[i];
            activation[i] = g / (1f + (float) Math.exp(-g)) * tape.up[i];
        }
        tape.activation = activation;
        float[] down = project(w.down(), l, LoraTarget.DOWN, activation, n, null, tape, masking);
        float[] out = new float[n * dim];
        for (int i = 0; i < out.length; i++) {
            out[i] = xMid[i] + down[i];
        }
        return out;
    }

    /** {@code W x (+ bias) + scale B A dropout(x)}, keeping the LoRA middle product on the tape. */
    private float[] project(FrozenMatrix w, int l, LoraTarget target, float[] x, int n, float[] bias, Tape tape,
                            Masking masking) {
        float[] y = new float[n * w.rows];
        w.multiply(x, n, y);
        if (bias != null) {
            for (int t = 0; t < n; t++) {
                for (int o = 0; o < w.rows; o++) {
                    y[t * w.rows + o] += bias[o];
                }
            }
        }
        LoraPair pair = lora.pair(l, target);
        if (pair != null) {
            float[] input = x;
            if (masking.active()) {
                input = new float[x.length];
                Dropout.apply(masking.p(), masking.stream(l, target), x, n * pair.in, input, new float[x.length]);
            }
            float[] mid = new float[n * pair.rank];
            pair.forward(input, n, mid, y);
            tape.mids[target.ordinal()] = mid;
        }
        return y;
    }

    private void rope(FrozenModel.Layer w, float[] q, float[] k, PackedRow row, int n, int direction) {
        if (w.ropeFrequencies() == null) {
            return;
        }
        float magnitude = model.neoxRope ? config.ropeMagnitude() : 1f;
        Rope.rotate(q, n, config.headCount(), config.headDim(), config.ropeDimensions(), row.positions(),
                w.ropeFrequencies(), model.neoxRope, magnitude, direction);
        Rope.rotate(k, n, config.headCountKv(), config.headDim(), config.ropeDimensions(), row.positions(),
                w.ropeFrequencies(), model.neoxRope, magnitude, direction);
    }

    /**
     * The weighted cross-entropy of the row's weighted positions, from the final residual {@code x}; with a gradient
     * scale, writes {@code d(loss) / dx} into {@code dx}. Logits are made {@link #LOGIT_BLOCK} rows at a time.
     */
    private double lossAndGradient(PackedRow row, float[] x, float gradientScale, float[] dx) {
        int n = row.length();
        int dim = config.embeddingLength();
        int vocabulary = config.vocabularySize();
        int[] lossRows = new int[n];
        int count = 0;
        for (int t = 0; t < n; t++) {
            if (row.targets()[t] >= 0 && row.weights()[t] > 0) {
                lossRows[count++] = t;
            }
        }
        double loss = 0;
        float[] rows = new float[LOGIT_BLOCK * dim];
        float[] h = new float[LOGIT_BLOCK * dim];
        float[] inverse = new float[LOGIT_BLOCK];
        float[] logits = new float[LOGIT_BLOCK * vocabulary];
        for (int from = 0; from < count; from += LOGIT_BLOCK) {
            int b = Math.min(LOGIT_BLOCK, count - from);
            for (int i = 0; i < b; i++) {
                System.arraycopy(x, lossRows[from + i] * dim, rows, i * dim, dim);
            }
            RmsNorm.forward(rows, model.outputNorm, b, dim, config.rmsEps(), h, inverse);
            model.output.multiply(h, b, logits);
            for (int i = 0; i < b; i++) {
                int t = lossRows[from + i];
                loss += row.weights()[t] * CrossEntropy.lossAndGradient(logits, i * vocabulary, vocabulary,
                        row.targets()[t], gradientScale * row.weights()[t]);
            }
            if (dx != null) {
                float[] dh = new float[b * dim];
                model.output.multiplyTransposedAdd(logits, b, dh);
                float[] dRows = new float[b * dim];
                RmsNorm.backwardAdd(rows, inverse, model.outputNorm, dh, b, dim, dRows);
                for (int i = 0; i < b; i++) {
                    System.arraycopy(dRows, i * dim, dx, lossRows[from + i] * dim, dim);
                }
            }
        }
        return loss;
    }

    /** Backward through layer {@code l}: from the gradient of its output to the gradient of its input. */
    private float[] backwardLayer(int l, Tape tape, PackedRow row, Masking masking, float[] dOut, int n) {
        FrozenModel.Layer w = model.layers[l];
        int dim = config.embeddingLength();
        int ffn = config.feedForwardLength();
        int qDim = config.queryDim();
        int kvDim = config.kvDim();
        // x_out = xMid + down(activation)
        float[] dActivation = backProject(w.down(), l, LoraTarget.DOWN, tape.activation, dOut, n, tape, masking);
        float[] dGate = new float[n * ffn];
        float[] dUp = new float[n * ffn];
        for (int i = 0; i < dGate.length; i++) {
            float g = tape.gate[i];
            float s = 1f / (1f + (float) Math.exp(-g));
            dUp[i] = dActivation[i] * g * s;
            dGate[i] = dActivation[i] * tape.up[i] * s * (1f + g * (1f - s));
        }
        float[] dH2 = backProject(w.gate(), l, LoraTarget.GATE, tape.h2, dGate, n, tape, masking);
        addInto(dH2, backProject(w.up(), l, LoraTarget.UP, tape.h2, dUp, n, tape, masking));
        float[] dxMid = dOut.clone();
        RmsNorm.backwardAdd(tape.xMid, tape.inverse2, w.feedForwardNorm(), dH2, n, dim, dxMid);
        // xMid = x + attentionOutput(attention)
        float[] dAttention = backProject(w.attentionOutput(), l, LoraTarget.ATTENTION_OUTPUT, tape.attention, dxMid,
                n, tape, masking);
        float[] dq = new float[n * qDim];
        float[] dk = new float[n * kvDim];
        float[] dv = new float[n * kvDim];
        attention.backward(tape.q, tape.k, tape.v, tape.attention, tape.lse, dAttention, n, row.sequenceStart(),
                dq, dk, dv);
        rope(w, dq, dk, row, n, -1);
        float[] dH1 = backProject(w.query(), l, LoraTarget.QUERY, tape.h1, dq, n, tape, masking);
        addInto(dH1, backProject(w.key(), l, LoraTarget.KEY, tape.h1, dk, n, tape, masking));
        addInto(dH1, backProject(w.value(), l, LoraTarget.VALUE, tape.h1, dv, n, tape, masking));
        float[] dx = dxMid;
        RmsNorm.backwardAdd(tape.x, tape.inverse1, w.attentionNorm(), dH1, n, dim, dx);
        return dx;
    }

    /**
     * The gradient of a projection's input for output gradient {@code dy}: {@code W^T dy} plus the LoRA path's share
     * (through its dropout mask), adding the pair's gradients on the way.
     */
    private float[] backProject(FrozenMatrix w, int l, LoraTarget target, float[] x, float[] dy, int n, Tape tape,
                                Masking masking) {
        float[] dx = new float[n * w.columns];
        w.multiplyTransposedAdd(dy, n, dx);
        LoraPair pair = lora.pair(l, target);
        if (pair != null) {
            float[] input = x;
            float[] mask = null;
            if (masking.active()) {
                input = new float[n * pair.in];
                mask = new float[n * pair.in];
                Dropout.apply(masking.p(), masking.stream(l, target), x, n * pair.in, input, mask);
            }
            float[] dLora = new float[n * pair.in];
            pair.backward(input, tape.mids[target.ordinal()], dy, n, new float[n * pair.rank], dLora);
            for (int i = 0; i < dLora.length; i++) {
                dx[i] += mask == null ? dLora[i] : dLora[i] * mask[i];
            }
        }
        return dx;
    }

    private static void addInto(float[] into, float[] x) {
        for (int i = 0; i < into.length; i++) {
            into[i] += x[i];
        }
    }
}
