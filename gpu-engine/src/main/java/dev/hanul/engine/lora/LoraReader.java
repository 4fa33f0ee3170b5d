package dev.hanul.engine.lora;

import dev.hanul.engine.backend.Backend;
import dev.hanul.engine.backend.Weights;
import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.gguf.GgufException;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.gguf.GgufTensor;
import dev.hanul.engine.model.LlamaConfig;
import dev.hanul.engine.model.LlamaModel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the tensor pairs of a LoRA GGUF into {@link LowRank}s per layer and target, following llama.cpp's loader
 * (src/llama-adapter.cpp): tensors end in {@code .lora_a} or {@code .lora_b}, norm tensors are skipped, each pair
 * must name a matrix of the base model and match its shape. Weights are converted to 32-bit floats (B times the
 * scale) in memory of their own.
 */
final class LoraReader {

    private static final Pattern LAYER_TENSOR = Pattern.compile("blk\\.(\\d+)\\.([a-z_]+)\\.weight");
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final GgufFile gguf;
    private final LlamaModel base;
    private final LlamaConfig config;
    private final Backend backend;
    private final float alpha;
    private final float scale;

    LoraReader(GgufFile gguf, LlamaModel base, float alpha, float scale) {
        this.gguf = gguf;
        this.base = base;
        this.config = base.config();
        this.backend = base.backend();
        this.alpha = alpha;
        this.scale = scale;
    }

    /** Checks that the file is a LoRA adapter for {@code architecture} and returns its alpha. */
    static float checkHeader(GgufFile gguf, String architecture) {
        String type = gguf.getString("general.type", "");
        if (!"adapter".equals(type)) {
            throw new GgufException("%s: general.type is '%s', expected 'adapter': this is not a LoRA adapter file "
                    .formatted(gguf.path(), type) + "(convert a PEFT adapter with llama.cpp's convert_lora_to_gguf.py)");
        }
        String adapterType = gguf.getString("adapter.type", "");
        if (!"lora".equals(adapterType)) {
            throw new GgufException("%s: adapter.type is '%s', expected 'lora' (only LoRA adapters are supported)"
                    .formatted(gguf.path(), adapterType));
        }
        String arch = gguf.getString("general.architecture", "");
        if (!architecture.equals(arch)) {
            throw new GgufException("%s: the adapter is for architecture '%s' but the base model is '%s' "
                    .formatted(gguf.path(), arch, architecture) + "(hint: wrong base model?)");
        }
        if (gguf.has("adapter.alora.invocation_tokens")) {
            throw new GgufException(gguf.path() + ": activated LoRA (adapter.alora.invocation_tokens) is not supported");
        }
        return gguf.getFloat("adapter.lora.alpha", 0f);
    }

    LowRank[][] layers() {
        Map<String, GgufTensor[]> pairs = new TreeMap<>();
        for (GgufTensor tensor : gguf.tensors().values()) {
            String name = tensor.name();
            if (name.endsWith(".lora_a") || name.endsWith(".lora_b")) {
                String baseName = name.substring(0, name.length() - ".lora_a".length());
                pairs.computeIfAbsent(baseName, k -> new GgufTensor[2])[name.endsWith(".lora_a") ? 0 : 1] = tensor;
            } else if (!name.endsWith("_norm.weight")) {
                // llama.cpp skips norm vectors (mergekit keeps them) and refuses anything else.
                throw new GgufException("%s: LoRA tensor '%s' has an unexpected suffix (expected .lora_a or .lora_b)"
                        .formatted(gguf.path(), name));
            }
        }
        if (pairs.isEmpty()) {
            throw new GgufException(gguf.path() + ": the adapter has no .lora_a/.lora_b tensor pairs");
        }
        LowRank[][] layers = new LowRank[config.blockCount()][LoraTarget.values().length];
        for (Map.Entry<String, GgufTensor[]> pair : pairs.entrySet()) {
            String baseName = pair.getKey();
            GgufTensor a = pair.getValue()[0];
            GgufTensor b = pair.getValue()[1];
            if (a == null || b == null) {
                throw new GgufException("%s: LoRA tensor pair for '%s' is missing its %s"
                        .formatted(gguf.path(), baseName, a == null ? "lora_a" : "lora_b"));
            }
            bind(baseName, a, b, layers);
        }
        return layers;
    }

    private void bind(String baseName, GgufTensor a, GgufTensor b, LowRank[][] layers) {
        Matcher m = LAYER_TENSOR.matcher(baseName);
        int layer = m.matches() ? Integer.parseInt(m.group(1)) : -1;
        if (layer < 0 || layer >= config.blockCount()) {
            throw new GgufException(("%s: LoRA on '%s' is not supported: this engine adapts the attention (attn_q, "
                    + "attn_k, attn_v, attn_qkv, attn_output) and feed-forward (ffn_gate, ffn_up, ffn_down) matrices "
                    + "of layers 0..%d").formatted(gguf.path(), baseName, config.blockCount() - 1));
        }
        String kind = m.group(2);
        int dim = config.embeddingLength();
        int ffn = config.feedForwardLength();
        int q = config.queryDim();
        int kv = config.kvDim();
        switch (kind) {
            case "attn_qkv" -> {
                requireFused(baseName, base.fusedQkv());
                Weights sharedA = weightsA(baseName, a, b, q + 2 * kv, dim);
                layers[layer][LoraTarget.QUERY.ordinal()] = new LowRank(sharedA, weightsB(b, 0, q), rank(a));
                layers[layer][LoraTarget.KEY.ordinal()] = new LowRank(sharedA, weightsB(b, q, kv), rank(a));
                layers[layer][LoraTarget.VALUE.ordinal()] = new LowRank(sharedA, weightsB(b, q + kv, kv), rank(a));
            }
            case "ffn_up" -> {
                if (base.fusedGateUp()) {
                    Weights sharedA = weightsA(baseName, a, b, 2 * ffn, dim);
                    layers[layer][LoraTarget.GATE.ordinal()] = new LowRank(sharedA, weightsB(b, 0, ffn), rank(a));
                    layers[layer][LoraTarget.UP.ordinal()] = new LowRank(sharedA, weightsB(b, ffn, ffn), rank(a));
                } else {
                    layers[layer][LoraTarget.UP.ordinal()] = pair(baseName, a, b, ffn, dim);
                }
            }
            case "attn_q" -> layers[layer][unfusedQkv(baseName)] = pair(baseName, a, b, q, dim);
            case "attn_k" -> layers[layer][unfused(baseName, LoraTarget.KEY)] = pair(baseName, a, b, kv, dim);
            case "attn_v" -> layers[layer][unfused(baseName, LoraTarget.VALUE)] = pair(baseName, a, b, kv, dim);
            case "attn_output" -> layers[layer][LoraTarget.ATTENTION_OUTPUT.ordinal()] = pair(baseName, a, b, dim, q);
            case "ffn_gate" -> {
                requireFused(baseName, !base.fusedGateUp());
                layers[layer][LoraTarget.GATE.ordinal()] = pair(baseName, a, b, ffn, dim);
            }
            case "ffn_down" -> layers[layer][LoraTarget.DOWN.ordinal()] = pair(baseName, a, b, dim, ffn);
            default -> throw new GgufException(("%s: LoRA on '%s' is not supported (supported: attn_q, attn_k, attn_v, "
                    + "attn_qkv, attn_output, ffn_gate, ffn_up, ffn_down)").formatted(gguf.path(), baseName));
        }
    }

    private int unfusedQkv(String baseName) {
        return unfused(baseName, LoraTarget.QUERY);
    }

    private int unfused(String baseName, LoraTarget target) {
        requireFused(baseName, !base.fusedQkv());
        return target.ordinal();
    }

    private void requireFused(String baseName, boolean present) {
        if (!present) {
            throw new GgufException("%s: LoRA tensor '%s' does not exist in the base model (hint: wrong base model?)"
                    .formatted(gguf.path(), baseName));
        }
    }

    private LowRank pair(String baseName, GgufTensor a, GgufTensor b, int out, int in) {
        return new LowRank(weightsA(baseName, a, b, out, in), weightsB(b, 0, out), rank(a));
    }

    /** Checks the pair against the base matrix ({@code out x in}) as llama.cpp does, and uploads A. */
    private Weights weightsA(String baseName, GgufTensor a, GgufTensor b, int out, int in) {
        if (a.shape().length != 2 || b.shape().length != 2) {
            throw new GgufException("%s: LoRA tensors of '%s' must be matrices, got lora_a %s and lora_b %s"
                    .formatted(gguf.path(), baseName, LoraAdapter.shape(a), LoraAdapter.shape(b)));
        }
        if (a.columns() != in || b.rows() != out) {
            throw new GgufException(("%s: LoRA tensors of '%s' have shapes lora_a %s and lora_b %s, but the base "
                    + "matrix is %d x %d (expected lora_a [%d, rank] and lora_b [rank, %d]; hint: wrong base model?)")
                    .formatted(gguf.path(), baseName, LoraAdapter.shape(a), LoraAdapter.shape(b), out, in, in, out));
        }
        if (a.rows() != b.columns()) {
            throw new GgufException(("%s: the ranks of '%s' differ: lora_a %s has rank %d, lora_b %s has %d (lora_a "
                    + "must be stored transposed, as convert_lora_to_gguf.py writes it)").formatted(gguf.path(),
                    baseName, LoraAdapter.shape(a), a.rows(), LoraAdapter.shape(b), b.columns()));
        }
        return upload(a.name(), floats(a, 1f), a.rows(), a.columns());
    }

    /** Rows {@code [from, from + count)} of B, times the scale. */
    private Weights weightsB(GgufTensor b, int from, int count) {
        GgufTensor rows = from == 0 && count == b.rows() ? b : b.rows(from, count);
        float factor = alpha != 0 ? scale * alpha / b.columns() : scale;
        return upload(rows.name(), floats(rows, factor), count, b.columns());
    }

    private static int rank(GgufTensor a) {
        return a.rows();
    }

    private Weights upload(String name, float[] values, int rows, int columns) {
        MemorySegment data = Arena.ofAuto().allocate((long) values.length * Float.BYTES, 64);
        MemorySegment.copy(values, 0, data, FLOAT, 0, values.length);
        return backend.weights(new GgufTensor(name, GgmlType.F32, new long[] {columns, rows}, data));
    }

    /** The tensor as floats times {@code factor}, from the types convert_lora_to_gguf.py writes. */
    private float[] floats(GgufTensor tensor, float factor) {
        int n = Math.toIntExact(tensor.elementCount());
        float[] out = new float[n];
        MemorySegment data = tensor.data();
        switch (tensor.type()) {
            case F32 -> {
                for (int i = 0; i < n; i++) out[i] = data.getAtIndex(FLOAT, i);
            }
            case F16 -> {
                for (int i = 0; i < n; i++) out[i] = Float.float16ToFloat(data.getAtIndex(SHORT, i));
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat(data.getAtIndex(SHORT, i) << 16);
            }
            case Q8_0 -> {
                for (int block = 0; block < n / 32; block++) {
                    long at = block * 34L;
                    float d = Float.float16ToFloat(data.get(SHORT, at));
                    for (int i = 0; i < 32; i++) {
                        out[block * 32 + i] = d * data.get(ValueLayout.JAVA_BYTE, at + 2 + i);
                    }
                }
            }
            default -> throw new GgufException("%s: LoRA tensor '%s' has type %s (supported: F32, F16, BF16, Q8_0)"
                    .formatted(gguf.path(), tensor.name(), tensor.type()));
        }
        if (factor != 1f) {
            for (int i = 0; i < n; i++) out[i] *= factor;
        }
        return out;
    }
}
