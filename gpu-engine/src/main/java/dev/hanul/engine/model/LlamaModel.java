package dev.hanul.engine.model;

import dev.hanul.engine.backend.AttentionBatch;
import dev.hanul.engine.backend.AttentionOptions;
import dev.hanul.engine.backend.Backend;
import dev.hanul.engine.backend.Buffer;
import dev.hanul.engine.backend.KvStore;
import dev.hanul.engine.backend.Weights;
import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.gguf.GgufException;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.gguf.GgufTensor;
import dev.hanul.engine.lora.LowRank;
import dev.hanul.engine.lora.LoraTarget;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The forward pass of the Llama family (RMSNorm, RoPE, grouped-query attention over the paged KV cache, gated
 * feed-forward, tied or separate output embeddings) and its variations by {@link Architecture}: Q/K/V biases (Qwen2),
 * per-head Q/K norms (Qwen3, Gemma 3), scaled embeddings, sandwich norms, GeGLU, sliding-window layers and
 * soft-capping (Gemma 2/3), fused QKV and gate/up matrices and LongRoPE factors (Phi-3), NoPE layers (SmolLM3),
 * output-only norms (EXAONE 4).
 * Written once against {@link Backend}. One call processes a batch of tokens from any number of sequences: every
 * weight matrix is read once per call. Rows of the batch may carry LoRA adapters ({@link LoraBatch}): each adapted
 * product gets {@code B (A x)} added on the rows of its adapter only.
 */
public final class LlamaModel {

    private final LlamaConfig config;
    private final Architecture traits;
    private final Backend backend;
    private final Weights tokenEmbedding;
    private final LayerWeights[] layers;
    private final Buffer outputNorm;
    private final Weights output;
    private final float[] inverseFrequencies;
    private final float[] localInverseFrequencies;
    private final AttentionOptions globalAttention;
    private final AttentionOptions localAttention;
    private final long weightBytes;
    private final boolean fusedQkv;
    private final boolean fusedGateUp;

    private LlamaModel(LlamaConfig config, Backend backend, Weights tokenEmbedding, LayerWeights[] layers,
                       Buffer outputNorm, Weights output, float[] pairFactors, boolean fusedQkv,
                       boolean fusedGateUp) {
        this.config = config;
        this.fusedQkv = fusedQkv;
        this.fusedGateUp = fusedGateUp;
        this.traits = config.traits();
        this.backend = backend;
        this.tokenEmbedding = tokenEmbedding;
        this.layers = layers;
        this.outputNorm = outputNorm;
        this.output = output;
        this.inverseFrequencies = config.inverseFrequencies(config.ropeBase(), true, pairFactors);
        this.localInverseFrequencies = config.inverseFrequencies(config.ropeBaseLocal(), false, pairFactors);
        this.globalAttention = new AttentionOptions(config.attentionScale(), config.attentionSoftCap(), 0);
        this.localAttention = new AttentionOptions(config.attentionScale(), config.attentionSoftCap(),
                config.slidingWindow());
        long bytes = output.byteSize();
        for (LayerWeights layer : layers) {
            for (Weights w : new Weights[] {layer.query(), layer.key(), layer.value(), layer.attentionOutput(),
                    layer.gate(), layer.up(), layer.down()}) {
                bytes += w.byteSize();
            }
        }
        this.weightBytes = bytes;
    }

    /** Binds the file's tensors to the backend, checking every tensor's presence, type and shape first. */
    public static LlamaModel load(GgufFile gguf, Backend backend) {
        LlamaConfig config = LlamaConfig.from(gguf);
        checkTypes(gguf);
        int dim = config.embeddingLength();
        Weights embedding = matrix(gguf, backend, "token_embd.weight", config.vocabularySize(), dim);
        LayerWeights[] layers = new LayerWeights[config.blockCount()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = layer(gguf, backend, config, "blk." + i + ".");
        }
        Weights output = gguf.tensors().containsKey("output.weight")
                ? matrix(gguf, backend, "output.weight", config.vocabularySize(), dim)
                : embedding;
        return new LlamaModel(config, backend, embedding, layers,
                vector(gguf, backend, "output_norm.weight", dim), output, pairFactors(gguf, config),
                gguf.tensors().containsKey("blk.0.attn_qkv.weight"),
                !gguf.tensors().containsKey("blk.0.ffn_gate.weight"));
    }

    private static LayerWeights layer(GgufFile gguf, Backend backend, LlamaConfig config, String p) {
        int dim = config.embeddingLength();
        int qDim = config.queryDim();
        int kvDim = config.kvDim();
        int ffn = config.feedForwardLength();
        Weights query;
        Weights key;
        Weights value;
        if (gguf.tensors().containsKey(p + "attn_qkv.weight")) {
            GgufTensor qkv = gguf.tensor(p + "attn_qkv.weight");
            checkShape(gguf, qkv, qDim + 2 * kvDim, dim);
            query = backend.weights(qkv.rows(0, qDim));
            key = backend.weights(qkv.rows(qDim, kvDim));
            value = backend.weights(qkv.rows(qDim + kvDim, kvDim));
        } else {
            query = matrix(gguf, backend, p + "attn_q.weight", qDim, dim);
            key = matrix(gguf, backend, p + "attn_k.weight", kvDim, dim);
            value = matrix(gguf, backend, p + "attn_v.weight", kvDim, dim);
        }
        Weights gate;
        Weights up;
        if (gguf.tensors().containsKey(p + "ffn_gate.weight")) {
            gate = matrix(gguf, backend, p + "ffn_gate.weight", ffn, dim);
            up = matrix(gguf, backend, p + "ffn_up.weight", ffn, dim);
        } else {
            // Phi-3 keeps gate and up in one matrix, gate first (its MLP chunks the product in two).
            GgufTensor gateUp = gguf.tensor(p + "ffn_up.weight");
            checkShape(gguf, gateUp, 2 * ffn, dim);
            gate = backend.weights(gateUp.rows(0, ffn));
            up = backend.weights(gateUp.rows(ffn, ffn));
        }
        boolean postNorms = config.traits().postNorms();
        boolean preNorms = config.traits().preNorms();
        return new LayerWeights(
                preNorms ? vector(gguf, backend, p + "attn_norm.weight", dim) : null,
                query, key, value,
                matrix(gguf, backend, p + "attn_output.weight", dim, qDim),
                preNorms ? vector(gguf, backend, p + "ffn_norm.weight", dim) : null,
                gate, up,
                matrix(gguf, backend, p + "ffn_down.weight", dim, ffn),
                optionalVector(gguf, backend, p + "attn_q.bias", qDim),
                optionalVector(gguf, backend, p + "attn_k.bias", kvDim),
                optionalVector(gguf, backend, p + "attn_v.bias", kvDim),
                optionalVector(gguf, backend, p + "attn_q_norm.weight", config.headDim()),
                optionalVector(gguf, backend, p + "attn_k_norm.weight", config.headDim()),
                postNorms ? vector(gguf, backend, p + "post_attention_norm.weight", dim) : null,
                postNorms ? vector(gguf, backend, p + "post_ffw_norm.weight", dim) : null);
    }

    /**
     * Per-pair RoPE frequency divisors: Llama 3's rope_freqs, or Phi-3's LongRoPE short factors (the ones Hugging Face
     * uses while a sequence is within the original context; the engine applies them at every position).
     */
    private static float[] pairFactors(GgufFile gguf, LlamaConfig config) {
        for (String name : new String[] {"rope_freqs.weight", "rope_factors_short.weight"}) {
            if (gguf.tensors().containsKey(name)) {
                GgufTensor tensor = gguf.tensor(name);
                if (tensor.elementCount() != config.ropeDimensions() / 2) {
                    throw new GgufException("%s: tensor '%s' has %d elements, expected %d (rope dimensions / 2)"
                            .formatted(gguf.path(), name, tensor.elementCount(), config.ropeDimensions() / 2));
                }
                return tensor.data().toArray(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN));
            }
        }
        return null;
    }

    public LlamaConfig config() {
        return config;
    }

    public Backend backend() {
        return backend;
    }

    /** Whether the file keeps Q, K and V in one matrix, {@code attn_qkv} (Phi-3): what LoRA tensors must name. */
    public boolean fusedQkv() {
        return fusedQkv;
    }

    /** Whether the file keeps gate and up in one matrix, {@code ffn_up} (Phi-3). */
    public boolean fusedGateUp() {
        return fusedGateUp;
    }

    /** The embedding table ({@code vocabulary x dim}); training reads the frozen weights through these accessors. */
    public Weights tokenEmbedding() {
        return tokenEmbedding;
    }

    /** The output projection ({@code vocabulary x dim}; the embedding table itself when they are tied). */
    public Weights output() {
        return output;
    }

    public Buffer outputNorm() {
        return outputNorm;
    }

    /** The tensors of block {@code layer}. */
    public LayerWeights layer(int layer) {
        return layers[layer];
    }

    /**
     * The RoPE angle per position of each rotary pair in block {@code layer} (a copy; linear scaling and per-pair
     * factors applied), or null when the block uses no RoPE (SmolLM3's NoPE layers).
     */
    public float[] ropeFrequencies(int layer) {
        if (!traits.usesRope(layer)) {
            return null;
        }
        return (config.isLocalLayer(layer) ? localInverseFrequencies : inverseFrequencies).clone();
    }

    /** Bytes of weights one forward pass reads (all matrices; embeddings rows are negligible). */
    public long weightBytes() {
        return weightBytes;
    }

    /** The type of most weights (the attention query's), as a label for reports. */
    public String weightType() {
        return layers[0].query().type().name();
    }

    /** Scratch memory for batches of up to {@code tokens} tokens and {@code logitRows} rows of logits. */
    public ForwardState newState(int tokens, int logitRows) {
        return new ForwardState(new Activations(backend, config, layers[0].queryNorm() != null, tokens, logitRows));
    }

    /**
     * Runs the tokens of {@code batch} through the model, writing their K/V into {@code kv}, and returns the logits of
     * the tokens listed in {@code logitTokens} (indices into the batch), one row of {@code vocabularySize} each.
     */
    public float[] forward(ForwardState state, int[] tokens, AttentionBatch batch, KvStore kv, int[] logitTokens) {
        return forward(state, tokens, batch, kv, logitTokens, LoraBatch.NONE);
    }

    /**
     * {@link #forward(ForwardState, int[], AttentionBatch, KvStore, int[])} with LoRA adapters on some rows.
     *
     * @throws IllegalArgumentException when an adapter was loaded for another model or a segment leaves the batch
     */
    public float[] forward(ForwardState state, int[] tokens, AttentionBatch batch, KvStore kv, int[] logitTokens,
                           LoraBatch lora) {
        checkSegments(lora, tokens.length);
        Activations a = state.activations();
        int n = tokens.length;
        if (n > a.tokenCapacity || logitTokens.length > a.logitCapacity) {
            throw new IllegalArgumentException("batch of %d tokens / %d logit rows exceeds the state's %d / %d"
                    .formatted(n, logitTokens.length, a.tokenCapacity, a.logitCapacity));
        }
        int dim = config.embeddingLength();
        int ffn = config.feedForwardLength();
        backend.embed(tokenEmbedding, tokens, a.x);
        if (traits.embeddingScale()) {
            backend.scale(a.x, (float) Math.sqrt(dim), n * dim);
        }
        for (int l = 0; l < layers.length; l++) {
            LayerWeights w = layers[l];
            attention(l, w, a, preNorm(a, w.attentionNorm(), n, dim), batch, kv, n, state, lora);
            backend.matmul(w.attentionOutput(), a.attention, a.projected, n);
            addLowRank(state, lora, l, LoraTarget.ATTENTION_OUTPUT, a.attention, config.queryDim(), a.projected, dim);
            addResidual(a, w.postAttentionNorm(), n, dim);
            Buffer ffnIn = preNorm(a, w.feedForwardNorm(), n, dim);
            boolean adaptedGateUp = lora.adapts(LoraTarget.GATE) || lora.adapts(LoraTarget.UP);
            if (traits.gelu() || adaptedGateUp) {
                backend.matmul(w.gate(), ffnIn, a.gate, n);
                backend.matmul(w.up(), ffnIn, a.up, n);
                addLowRank(state, lora, l, LoraTarget.GATE, ffnIn, dim, a.gate, ffn);
                addLowRank(state, lora, l, LoraTarget.UP, ffnIn, dim, a.up, ffn);
                if (traits.gelu()) {
                    backend.geglu(a.gate, a.up, n * ffn);
                } else {
                    backend.swiglu(a.gate, a.up, n * ffn);
                }
            } else {
                backend.swigluMatmul(w.gate(), w.up(), ffnIn, a.gate, a.up, n);
            }
            backend.matmul(w.down(), a.gate, a.projected, n);
            addLowRank(state, lora, l, LoraTarget.DOWN, a.gate, ffn, a.projected, dim);
            addResidual(a, w.postFeedForwardNorm(), n, dim);
        }
        for (int i = 0; i < logitTokens.length; i++) {
            backend.copyRow(a.x, logitTokens[i], a.lastRows, i, dim);
        }
        backend.rmsNorm(a.lastRows, outputNorm, a.normed, logitTokens.length, dim, config.rmsEps());
        backend.matmul(output, a.normed, a.logits, logitTokens.length);
        float[] logits = new float[logitTokens.length * config.vocabularySize()];
        backend.read(a.logits, logits, logits.length);
        float cap = config.finalSoftCap();
        if (cap > 0) {
            for (int i = 0; i < logits.length; i++) {
                logits[i] = cap * (float) Math.tanh(logits[i] / cap);
            }
        }
        return logits;
    }

    /** Self-attention of layer {@code l} from {@code a.normed} into {@code a.attention}. */
    private void attention(int l, LayerWeights w, Activations a, Buffer input, AttentionBatch batch, KvStore kv,
                           int n, ForwardState state, LoraBatch lora) {
        int heads = config.headCount();
        int kvHeads = config.headCountKv();
        int headDim = config.headDim();
        backend.matmuls(new Weights[] {w.query(), w.key(), w.value()}, input,
                new Buffer[] {a.query, a.key, a.value}, n);
        int dim = config.embeddingLength();
        addLowRank(state, lora, l, LoraTarget.QUERY, input, dim, a.query, config.queryDim());
        addLowRank(state, lora, l, LoraTarget.KEY, input, dim, a.key, config.kvDim());
        addLowRank(state, lora, l, LoraTarget.VALUE, input, dim, a.value, config.kvDim());
        if (w.queryBias() != null) {
            backend.addBias(a.query, w.queryBias(), n, config.queryDim());
            backend.addBias(a.key, w.keyBias(), n, config.kvDim());
            backend.addBias(a.value, w.valueBias(), n, config.kvDim());
        }
        Buffer query = a.query;
        Buffer key = a.key;
        if (w.queryNorm() != null) {
            // Each head's row is contiguous, so per-head RMSNorm is RMSNorm over tokens x heads rows of headDim.
            backend.rmsNorm(a.query, w.queryNorm(), a.normedQuery, n * heads, headDim, config.rmsEps());
            backend.rmsNorm(a.key, w.keyNorm(), a.normedKey, n * kvHeads, headDim, config.rmsEps());
            query = a.normedQuery;
            key = a.normedKey;
        }
        boolean local = config.isLocalLayer(l);
        if (traits.usesRope(l)) {
            float[] frequencies = local ? localInverseFrequencies : inverseFrequencies;
            if (traits.neoxRope()) {
                backend.ropeNeox(query, n, heads, headDim, config.ropeDimensions(), batch.positions(), frequencies,
                        config.ropeMagnitude());
                backend.ropeNeox(key, n, kvHeads, headDim, config.ropeDimensions(), batch.positions(), frequencies,
                        config.ropeMagnitude());
            } else {
                backend.rope(query, n, heads, headDim, config.ropeDimensions(), batch.positions(), frequencies);
                backend.rope(key, n, kvHeads, headDim, config.ropeDimensions(), batch.positions(), frequencies);
            }
        }
        backend.storeKv(kv, l, key, a.value, batch);
        AttentionOptions options = local ? localAttention : globalAttention;
        if (options.equals(AttentionOptions.standard(headDim))) {
            backend.attention(kv, l, query, a.attention, batch, heads, kvHeads, headDim);
        } else {
            backend.attention(kv, l, query, a.attention, batch, heads, kvHeads, headDim, options);
        }
    }

    /**
     * {@code out[t] += B (A x[t])} for the rows of every segment whose adapter changes {@code target} in layer
     * {@code l} (B carries the adapter's scale). A segment's rows are gathered to the scratch's first rows, so the
     * products run over exactly the rows that use the adapter.
     */
    private void addLowRank(ForwardState state, LoraBatch lora, int l, LoraTarget target, Buffer x, int inWidth,
                            Buffer out, int outWidth) {
        for (LoraBatch.Segment segment : lora.segments()) {
            LowRank w = segment.adapter().weight(l, target);
            if (w == null) {
                continue;
            }
            LoraScratch s = state.lora(backend, config, lora.maxRank());
            int from = segment.from();
            int count = segment.count();
            Buffer input = x;
            if (from != 0) {
                for (int j = 0; j < count; j++) {
                    backend.copyRow(x, from + j, s.in, j, inWidth);
                }
                input = s.in;
            }
            backend.matmul(w.a(), input, s.mid, count);
            backend.matmul(w.b(), s.mid, s.delta, count);
            if (from == 0) {
                backend.add(out, s.delta, count * outWidth);
            } else {
                for (int j = 0; j < count; j++) {
                    backend.copyRow(out, from + j, s.rows, j, outWidth);
                }
                backend.add(s.rows, s.delta, count * outWidth);
                for (int j = 0; j < count; j++) {
                    backend.copyRow(s.rows, j, out, from + j, outWidth);
                }
            }
        }
    }

    private void checkSegments(LoraBatch lora, int tokens) {
        for (LoraBatch.Segment segment : lora.segments()) {
            if (segment.adapter().base() != this) {
                throw new IllegalArgumentException("LoRA adapter '%s' was loaded for another model"
                        .formatted(segment.adapter().name()));
            }
            if (segment.from() < 0 || segment.count() < 1 || segment.from() + segment.count() > tokens) {
                throw new IllegalArgumentException("LoRA segment rows %d..%d are outside the batch of %d tokens"
                        .formatted(segment.from(), segment.from() + segment.count() - 1, tokens));
            }
        }
    }

    /** The sublayer's input: {@code x} normalized into {@code a.normed}, or {@code x} itself without a pre-norm. */
    private Buffer preNorm(Activations a, Buffer gain, int n, int dim) {
        if (gain == null) {
            return a.x;
        }
        backend.rmsNorm(a.x, gain, a.normed, n, dim, config.rmsEps());
        return a.normed;
    }

    /** {@code x += projected}, through the architecture's post-norm when it has one. */
    private void addResidual(Activations a, Buffer postNorm, int n, int dim) {
        if (postNorm == null) {
            backend.add(a.x, a.projected, n * dim);
        } else {
            backend.rmsNorm(a.projected, postNorm, a.normed, n, dim, config.rmsEps());
            backend.add(a.x, a.normed, n * dim);
        }
    }

    private static void checkTypes(GgufFile gguf) {
        for (GgufTensor tensor : gguf.tensors().values()) {
            if (!tensor.type().supported()) {
                throw new GgufException("%s: tensor '%s' has type %s, which is not supported (supported: %s)"
                        .formatted(gguf.path(), tensor.name(), tensor.type(), supportedTypes()));
            }
        }
    }

    private static String supportedTypes() {
        StringBuilder names = new StringBuilder();
        for (GgmlType type : GgmlType.values()) {
            if (type.supported()) {
                names.append(names.isEmpty() ? "" : ", ").append(type);
            }
        }
        return names.toString();
    }

    private static Weights matrix(GgufFile gguf, Backend backend, String name, int rows, int columns) {
        GgufTensor tensor = gguf.tensor(name);
        checkShape(gguf, tensor, rows, columns);
        return backend.weights(tensor);
    }

    private static void checkShape(GgufFile gguf, GgufTensor tensor, int rows, int columns) {
        if (tensor.rows() != rows || tensor.columns() != columns) {
            throw new GgufException("%s: tensor '%s' has shape %d x %d, expected %d x %d for this model's metadata"
                    .formatted(gguf.path(), tensor.name(), tensor.rows(), tensor.columns(), rows, columns));
        }
    }

    private static Buffer optionalVector(GgufFile gguf, Backend backend, String name, int length) {
        return gguf.tensors().containsKey(name) ? vector(gguf, backend, name, length) : null;
    }

    private static Buffer vector(GgufFile gguf, Backend backend, String name, int length) {
        GgufTensor tensor = gguf.tensor(name);
        if (tensor.elementCount() != length) {
            throw new GgufException("%s: tensor '%s' has %d elements, expected %d"
                    .formatted(gguf.path(), name, tensor.elementCount(), length));
        }
        return backend.vector(tensor);
    }
}
