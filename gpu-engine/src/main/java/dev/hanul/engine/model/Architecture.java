package dev.hanul.engine.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What sets one decoder-only architecture apart from the Llama block: the variations of a pre-norm transformer that
 * the model code switches on. Values follow llama.cpp's graph for the same {@code general.architecture}, since that is
 * how the GGUF converter laid the tensors out (for instance, the Llama converter permutes Q/K rows for adjacent-pair
 * RoPE; the others keep Hugging Face's rotate_half layout).
 *
 * @param name                 {@code general.architecture}
 * @param neoxRope             RoPE pairs feature i with i + d/2 (Hugging Face layout) rather than adjacent features
 * @param gelu                 the feed-forward gate uses GELU (tanh approximation) instead of SiLU
 * @param embeddingScale       token embeddings are multiplied by sqrt(embedding length) (Gemma)
 * @param postNorms            RMSNorm after the attention and feed-forward outputs too (Gemma 2/3 "sandwich" norms)
 * @param slidingWindowPattern with a sliding window, layer {@code il} is local unless {@code il % n == n - 1}; 0: every
 *                             layer is global
 * @param noRopeLayerStep      layer {@code il} skips RoPE when {@code (il + 1) % n == 0} (SmolLM3's NoPE layers); 0: never
 * @param preNorms             RMSNorm before attention and feed-forward; EXAONE 4 normalizes only their outputs
 *                             (with {@code postNorms})
 */
public record Architecture(String name, boolean neoxRope, boolean gelu, boolean embeddingScale, boolean postNorms,
                           int slidingWindowPattern, int noRopeLayerStep, boolean preNorms) {

    private Architecture(String name, boolean neoxRope, boolean gelu, boolean embeddingScale, boolean postNorms,
                         int slidingWindowPattern, int noRopeLayerStep) {
        this(name, neoxRope, gelu, embeddingScale, postNorms, slidingWindowPattern, noRopeLayerStep, true);
    }

    private static final Map<String, Architecture> KNOWN = new LinkedHashMap<>();

    static {
        for (Architecture a : new Architecture[] {
                new Architecture("llama", false, false, false, false, 0, 0),
                new Architecture("mistral", false, false, false, false, 0, 0),
                new Architecture("qwen2", true, false, false, false, 0, 0),
                new Architecture("qwen3", true, false, false, false, 0, 0),
                new Architecture("gemma2", true, true, true, true, 2, 0),
                new Architecture("gemma3", true, true, true, true, 6, 0),
                new Architecture("phi3", true, false, false, false, 0, 0),
                new Architecture("smollm3", false, false, false, false, 0, 4),
                new Architecture("exaone4", true, false, false, true, 0, 0, false)}) {
            KNOWN.put(a.name(), a);
        }
    }

    public static Optional<Architecture> named(String name) {
        return Optional.ofNullable(KNOWN.get(name));
    }

    /** The architectures this engine runs, for error messages and documentation. */
    public static String supportedNames() {
        return String.join(", ", KNOWN.keySet());
    }

    /** Whether layer {@code layer} of {@code layers} attends through the sliding window (when the model has one). */
    boolean isLocalLayer(int layer) {
        return slidingWindowPattern > 0 && layer % slidingWindowPattern < slidingWindowPattern - 1;
    }

    boolean usesRope(int layer) {
        return noRopeLayerStep == 0 || (layer + 1) % noRopeLayerStep != 0;
    }
}
