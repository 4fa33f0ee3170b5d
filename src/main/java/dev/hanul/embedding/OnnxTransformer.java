package dev.hanul.embedding;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A BERT-style transformer run in process with ONNX Runtime, one tokenized input at a time: what the embedder (a
 * bi-encoder) and the reranker (a cross-encoder) share. It feeds {@code input_ids}, {@code attention_mask} and, when
 * the graph takes them, {@code token_type_ids} (which tell a cross-encoder's query from its passage), and hands the
 * first output to the caller. Thread-safe: ONNX Runtime sessions may be run concurrently.
 */
public final class OnnxTransformer implements AutoCloseable {

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final boolean takesTokenTypes;

    private OnnxTransformer(OrtEnvironment environment, OrtSession session) throws OrtException {
        this.environment = environment;
        this.session = session;
        this.takesTokenTypes = session.getInputNames().contains("token_type_ids");
    }

    /** @param threads ONNX Runtime's intra-op threads per run; 0 lets it use every core */
    public static OnnxTransformer open(Path file, int threads) throws OrtException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        return new OnnxTransformer(environment, environment.createSession(file.toString(), options(threads)));
    }

    /** A model held in memory (one bundled in a jar). */
    public static OnnxTransformer open(byte[] model, int threads) throws OrtException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        return new OnnxTransformer(environment, environment.createSession(model, options(threads)));
    }

    private static OrtSession.SessionOptions options(int threads) throws OrtException {
        var options = new OrtSession.SessionOptions();
        // ONNX Runtime's workers spin after each run waiting for the next; in a process whose inference engine
        // uses every core, that spinning takes cores from generation (the monitoring overhead measured it)
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        options.addConfigEntry("session.inter_op.allow_spinning", "0");
        if (threads > 0) {
            options.setIntraOpNumThreads(threads);
        }
        return options;
    }

    /** The {@code tokenizer.json} beside a model file, with the given DJL options (padding, truncation, maxLength). */
    public static HuggingFaceTokenizer tokenizerBeside(Path modelFile, Map<String, String> options) {
        Path json = modelFile.resolveSibling("tokenizer.json");
        try {
            return HuggingFaceTokenizer.newInstance(json, options);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the tokenizer " + json + " (it belongs beside the model file): "
                    + e.getMessage(), e);
        }
    }

    /**
     * Runs one tokenized input (a batch of one) and reads the first output.
     *
     * @param read gets the first output's values, row-major, and the number of tokens
     */
    public <T> T run(Encoding encoding, OutputReader<T> read) {
        long[] shape = {1, encoding.getIds().length};
        try (OnnxTensor ids = OnnxTensor.createTensor(environment, LongBuffer.wrap(encoding.getIds()), shape);
             OnnxTensor mask = OnnxTensor.createTensor(environment, LongBuffer.wrap(encoding.getAttentionMask()),
                     shape);
             OnnxTensor types = OnnxTensor.createTensor(environment, LongBuffer.wrap(encoding.getTypeIds()), shape)) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put("input_ids", ids);
            inputs.put("attention_mask", mask);
            if (takesTokenTypes) {
                inputs.put("token_type_ids", types);
            }
            try (OrtSession.Result result = session.run(inputs)) {
                return read.read(((OnnxTensor) result.get(0)).getFloatBuffer(), (int) shape[1]);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("The model failed on an input of " + shape[1] + " tokens: "
                    + e.getMessage(), e);
        }
    }

    /** A first output's reader: hidden states to pool, or a cross-encoder's logit. */
    @FunctionalInterface
    public interface OutputReader<T> {
        T read(FloatBuffer output, int tokens);
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("Cannot close the ONNX model: " + e.getMessage(), e);
        }
    }
}
