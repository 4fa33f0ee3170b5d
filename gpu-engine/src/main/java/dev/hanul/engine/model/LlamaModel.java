package dev.hanul.engine.model;

import dev.hanul.engine.backend.AttentionBatch;
import dev.hanul.engine.backend.Backend;
import dev.hanul.engine.backend.Buffer;
import dev.hanul.engine.backend.KvStore;
import dev.hanul.engine.backend.Weights;
import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.gguf.GgufException;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.gguf.GgufTensor;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The Llama forward pass (RMSNorm, RoPE, grouped-query attention over the paged KV cache, SwiGLU, tied or separate
 * output embeddings), written once against {@link Backend}. One call processes a batch of tokens from any number of
 * sequences: every weight matrix is read once per call.
 */
public final class LlamaModel {

    private final LlamaConfig config;
    private final Backend backend;
    private final Weights tokenEmbedding;
    private final LayerWeights[] layers;
    private final Buffer outputNorm;
    private final Weights output;
    private final float[] inverseFrequencies;
    private final long weightBytes;

    private LlamaModel(LlamaConfig config, Backend backend, Weights tokenEmbedding, LayerWeights[] layers,
                       Buffer outputNorm, Weights output, float[] inverseFrequencies) {
        this.config = config;
        this.backend = backend;
        this.tokenEmbedding = tokenEmbedding;
        this.layers = layers;
        this.outputNorm = outputNorm;
        this.output = output;
        this.inverseFrequencies = inverseFrequencies;
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
            String p = "blk." + i + ".";
            layers[i] = new LayerWeights(
                    vector(gguf, backend, p + "attn_norm.weight", dim),
                    matrix(gguf, backend, p + "attn_q.weight", dim, dim),
                    matrix(gguf, backend, p + "attn_k.weight", config.kvDim(), dim),
                    matrix(gguf, backend, p + "attn_v.weight", config.kvDim(), dim),
                    matrix(gguf, backend, p + "attn_output.weight", dim, dim),
                    vector(gguf, backend, p + "ffn_norm.weight", dim),
                    matrix(gguf, backend, p + "ffn_gate.weight", config.feedForwardLength(), dim),
                    matrix(gguf, backend, p + "ffn_up.weight", config.feedForwardLength(), dim),
                    matrix(gguf, backend, p + "ffn_down.weight", dim, config.feedForwardLength()));
        }
        Weights output = gguf.tensors().containsKey("output.weight")
                ? matrix(gguf, backend, "output.weight", config.vocabularySize(), dim)
                : embedding;
        float[] pairFactors = gguf.tensors().containsKey("rope_freqs.weight")
                ? gguf.tensor("rope_freqs.weight").data().toArray(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN))
                : null;
        return new LlamaModel(config, backend, embedding, layers,
                vector(gguf, backend, "output_norm.weight", dim), output, config.inverseFrequencies(pairFactors));
    }

    public LlamaConfig config() {
        return config;
    }

    public Backend backend() {
        return backend;
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
        return new ForwardState(new Activations(backend, config, tokens, logitRows));
    }

    /**
     * Runs the tokens of {@code batch} through the model, writing their K/V into {@code kv}, and returns the logits of
     * the tokens listed in {@code logitTokens} (indices into the batch), one row of {@code vocabularySize} each.
     */
    public float[] forward(ForwardState state, int[] tokens, AttentionBatch batch, KvStore kv, int[] logitTokens) {
        Activations a = state.activations();
        int n = tokens.length;
        if (n > a.tokenCapacity || logitTokens.length > a.logitCapacity) {
            throw new IllegalArgumentException("batch of %d tokens / %d logit rows exceeds the state's %d / %d"
                    .formatted(n, logitTokens.length, a.tokenCapacity, a.logitCapacity));
        }
        int dim = config.embeddingLength();
        int kvDim = config.kvDim();
        backend.embed(tokenEmbedding, tokens, a.x);
        for (int l = 0; l < layers.length; l++) {
            LayerWeights w = layers[l];
            backend.rmsNorm(a.x, w.attentionNorm(), a.normed, n, dim, config.rmsEps());
            backend.matmuls(new Weights[] {w.query(), w.key(), w.value()}, a.normed,
                    new Buffer[] {a.query, a.key, a.value}, n);
            backend.rope(a.query, n, config.headCount(), config.headDim(), config.ropeDimensions(),
                    batch.positions(), inverseFrequencies);
            backend.rope(a.key, n, config.headCountKv(), config.headDim(), config.ropeDimensions(),
                    batch.positions(), inverseFrequencies);
            backend.storeKv(kv, l, a.key, a.value, batch);
            backend.attention(kv, l, a.query, a.attention, batch, config.headCount(), config.headCountKv(),
                    config.headDim());
            backend.matmul(w.attentionOutput(), a.attention, a.projected, n);
            backend.add(a.x, a.projected, n * dim);
            backend.rmsNorm(a.x, w.feedForwardNorm(), a.normed, n, dim, config.rmsEps());
            backend.swigluMatmul(w.gate(), w.up(), a.normed, a.gate, a.up, n);
            backend.matmul(w.down(), a.gate, a.projected, n);
            backend.add(a.x, a.projected, n * dim);
        }
        for (int i = 0; i < logitTokens.length; i++) {
            backend.copyRow(a.x, logitTokens[i], a.lastRows, i, dim);
        }
        backend.rmsNorm(a.lastRows, outputNorm, a.normed, logitTokens.length, dim, config.rmsEps());
        backend.matmul(output, a.normed, a.logits, logitTokens.length);
        float[] logits = new float[logitTokens.length * config.vocabularySize()];
        backend.read(a.logits, logits, logits.length);
        return logits;
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
        if (tensor.rows() != rows || tensor.columns() != columns) {
            throw new GgufException("%s: tensor '%s' has shape %d x %d, expected %d x %d for this model's metadata"
                    .formatted(gguf.path(), name, tensor.rows(), tensor.columns(), rows, columns));
        }
        return backend.weights(tensor);
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
