package dev.hanul.engine.lora;

import dev.hanul.engine.gguf.GgufException;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.gguf.GgufTensor;
import dev.hanul.engine.model.LlamaModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A LoRA adapter bound to one loaded base model: for each adapted matrix {@code W}, the model computes
 * {@code W x + scale * B (A x)} with {@code scale = adapter scale * alpha / rank} (llama.cpp's rule; alpha 0 means
 * scale = adapter scale). Requests choose an adapter through {@code GenerationRequest.adapter}, so one batch can mix
 * base-model rows with rows of any number of adapters.
 *
 * <p>The file is llama.cpp's LoRA GGUF (what {@code convert_lora_to_gguf.py} writes and {@link LoraAdapterWriter}
 * writes): {@code general.type = adapter}, {@code adapter.type = lora}, {@code adapter.lora.alpha}, the base's
 * {@code general.architecture}, and per adapted base tensor {@code <base>.lora_a} ({@code rank x in}, ggml shape
 * {@code [in, rank]}) and {@code <base>.lora_b} ({@code out x rank}, ggml shape {@code [rank, out]}). The weights
 * are read once into memory of their own (the file is closed after loading), so an adapter that is no longer
 * referenced is freed with it.
 */
public final class LoraAdapter {

    private static final AtomicLong LOADED = new AtomicLong();

    private final String name;
    private final Path path;
    private final LlamaModel base;
    private final float alpha;
    private final float scale;
    private final LowRank[][] layers;
    private final Set<LoraTarget> targets;
    private final int rank;
    private final long parameters;
    private final long cacheRoot;

    private LoraAdapter(String name, Path path, LlamaModel base, float alpha, float scale, LowRank[][] layers) {
        this.name = name;
        this.path = path;
        this.base = base;
        this.alpha = alpha;
        this.scale = scale;
        this.layers = layers;
        Set<LoraTarget> adapted = EnumSet.noneOf(LoraTarget.class);
        int maxRank = 0;
        long count = 0;
        for (LowRank[] layer : layers) {
            for (LoraTarget target : LoraTarget.values()) {
                LowRank w = layer[target.ordinal()];
                if (w != null) {
                    adapted.add(target);
                    maxRank = Math.max(maxRank, w.rank());
                    count += (long) w.rank() * (w.a().columns() + w.b().rows());
                }
            }
        }
        this.targets = Set.copyOf(adapted);
        this.rank = maxRank;
        this.parameters = count;
        // Keys and values computed under an adapter differ from the base model's: the prefix cache keeps each
        // loaded adapter's blocks apart by starting its hash chains from a root of its own.
        this.cacheRoot = mix(0x3c6ef372fe94f82bL ^ LOADED.incrementAndGet());
    }

    /**
     * Reads a LoRA GGUF and binds it to {@code base}, checking the file's type, architecture, tensor names and every
     * shape against the base model.
     *
     * @param name  the adapter's name (what requests use to choose it)
     * @param scale the adapter scale (llama.cpp's {@code --lora-scaled}; 1 for {@code --lora})
     * @throws GgufException when the file is not a LoRA adapter for this base model; the message says what differs
     */
    public static LoraAdapter load(Path file, LlamaModel base, String name, float scale) {
        if (!Float.isFinite(scale)) {
            throw new IllegalArgumentException("adapter scale must be a finite number, got " + scale);
        }
        try (GgufFile gguf = GgufFile.open(file)) {
            float alpha = LoraReader.checkHeader(gguf, base.config().architecture());
            return new LoraAdapter(name, gguf.path(), base, alpha, scale,
                    new LoraReader(gguf, base, alpha, scale).layers());
        }
    }

    public String name() {
        return name;
    }

    /** The file it was loaded from. */
    public Path path() {
        return path;
    }

    /** The model it was validated against and may be used with. */
    public LlamaModel base() {
        return base;
    }

    public float alpha() {
        return alpha;
    }

    public float scale() {
        return scale;
    }

    /** The largest rank of its matrices. */
    public int rank() {
        return rank;
    }

    /** Which kinds of matrices it adapts (in any layer). */
    public Set<LoraTarget> targets() {
        return targets;
    }

    /** Floats in A and B together. */
    public long parameters() {
        return parameters;
    }

    /** The adapted matrix of {@code layer}, or null when the adapter leaves it alone. */
    public LowRank weight(int layer, LoraTarget target) {
        return layers[layer][target.ordinal()];
    }

    /** Where this adapter's prefix-cache hash chains start. */
    public long cacheRoot() {
        return cacheRoot;
    }

    @Override
    public String toString() {
        return "LoraAdapter[%s, rank %d, alpha %s, scale %s, %s, %s]".formatted(name, rank, alpha, scale, targets,
                path);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    static String shape(GgufTensor tensor) {
        return Arrays.toString(tensor.shape());
    }
}
