package dev.hanul.guard;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The toxicity classifier of the PyPI package toxic-comment-classifier 0.3.0 (MIT; trained on Jigsaw's Wikipedia
 * comments, English), run in plain Java: Keras's word tokenizer (20,000 words, lower case, punctuation as spaces),
 * the last 100 words padded in front, Embedding(50) → BiLSTM(50 each way) → global max pool → Dense(50, relu) →
 * Dense(6, sigmoid). The weights come from the JSON that {@code export_toxic_bilstm.py} writes; the forward pass is
 * that script's numpy reference, step for step. Six labels: toxic, severe_toxic, obscene, threat, insult,
 * identity_hate. Thread-safe (no state after loading).
 */
public final class ToxicityClassifier {

    private static final int HIDDEN = 50;

    private final List<String> labels;
    private final int maxWords;
    private final String filters;
    private final boolean lower;
    private final Map<String, Integer> vocabulary;
    private final float[][] embedding;
    private final Lstm forward;
    private final Lstm backward;
    private final float[][] dense1;
    private final float[] bias1;
    private final float[][] dense2;
    private final float[] bias2;

    private record Lstm(float[][] kernel, float[][] recurrent, float[] bias) {
    }

    private ToxicityClassifier(JsonNode m) {
        this.labels = new ArrayList<>();
        m.get("labels").forEach(label -> labels.add(label.asString()));
        this.maxWords = m.get("maxlen").asInt();
        this.filters = m.get("filters").asString();
        this.lower = m.get("lower").asBoolean();
        this.vocabulary = new HashMap<>();
        m.get("vocab").properties().forEach(e -> vocabulary.put(e.getKey(), e.getValue().asInt()));
        this.embedding = JsonWeights.matrix(m.get("embedding"));
        this.forward = lstm(m.get("lstm_fw"));
        this.backward = lstm(m.get("lstm_bw"));
        this.dense1 = JsonWeights.matrix(m.get("dense1").get(0));
        this.bias1 = JsonWeights.vector(m.get("dense1").get(1));
        this.dense2 = JsonWeights.matrix(m.get("dense2").get(0));
        this.bias2 = JsonWeights.vector(m.get("dense2").get(1));
    }

    public static ToxicityClassifier load(Path json) {
        try (InputStream in = Files.newInputStream(json)) {
            return new ToxicityClassifier(JsonMapper.builder().build().readTree(in));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Cannot read the toxicity model " + json + ": " + e.getMessage(), e);
        }
    }

    public List<String> labels() {
        return List.copyOf(labels);
    }

    /** The six label probabilities, in {@link #labels()} order. */
    public float[] classify(String text) {
        int[] ids = sequence(text);
        float[][] states = new float[ids.length][];
        for (int t = 0; t < ids.length; t++) {
            states[t] = embedding[ids[t]];
        }
        float[] pooled = new float[2 * HIDDEN];
        java.util.Arrays.fill(pooled, Float.NEGATIVE_INFINITY);
        run(forward, states, false, pooled, 0);
        run(backward, states, true, pooled, HIDDEN);
        float[] hidden = dense(pooled, dense1, bias1);
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = Math.max(0, hidden[i]);
        }
        float[] out = dense(hidden, dense2, bias2);
        for (int i = 0; i < out.length; i++) {
            out[i] = sigmoid(out[i]);
        }
        return out;
    }

    /** The highest of the six probabilities: any kind of toxicity. */
    public double score(String text) {
        float best = 0;
        for (float p : classify(text)) {
            best = Math.max(best, p);
        }
        return best;
    }

    /** Keras's texts_to_sequences with padding and truncation "pre": the last words, zeros in front. */
    int[] sequence(String text) {
        String t = lower ? text.toLowerCase(Locale.ROOT) : text;
        var cleaned = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            cleaned.append(filters.indexOf(c) >= 0 ? ' ' : c);
        }
        var ids = new ArrayList<Integer>();
        for (String word : cleaned.toString().split(" ")) {
            Integer id = vocabulary.get(word);
            if (id != null) {
                ids.add(id);
            }
        }
        int[] sequence = new int[maxWords];
        int from = Math.max(0, ids.size() - maxWords);
        int offset = maxWords - (ids.size() - from);
        for (int i = from; i < ids.size(); i++) {
            sequence[offset + i - from] = ids.get(i);
        }
        return sequence;
    }

    /** One direction of the LSTM (gates i, f, c, o as Keras orders them), max-pooled into {@code pooled}. */
    private static void run(Lstm lstm, float[][] inputs, boolean reverse, float[] pooled, int at) {
        float[] h = new float[HIDDEN];
        float[] c = new float[HIDDEN];
        float[] z = new float[4 * HIDDEN];
        for (int step = 0; step < inputs.length; step++) {
            float[] x = inputs[reverse ? inputs.length - 1 - step : step];
            System.arraycopy(lstm.bias(), 0, z, 0, z.length);
            accumulate(z, x, lstm.kernel());
            accumulate(z, h, lstm.recurrent());
            for (int j = 0; j < HIDDEN; j++) {
                float input = sigmoid(z[j]);
                float forget = sigmoid(z[HIDDEN + j]);
                float candidate = (float) Math.tanh(z[2 * HIDDEN + j]);
                float output = sigmoid(z[3 * HIDDEN + j]);
                c[j] = forget * c[j] + input * candidate;
                h[j] = output * (float) Math.tanh(c[j]);
                pooled[at + j] = Math.max(pooled[at + j], h[j]);
            }
        }
    }

    /** z += x · W, with W stored [in][out] as Keras stores kernels. */
    private static void accumulate(float[] z, float[] x, float[][] w) {
        for (int i = 0; i < x.length; i++) {
            float xi = x[i];
            if (xi == 0) {
                continue;
            }
            float[] row = w[i];
            for (int j = 0; j < z.length; j++) {
                z[j] += xi * row[j];
            }
        }
    }

    private static float[] dense(float[] x, float[][] w, float[] bias) {
        float[] out = bias.clone();
        accumulate(out, x, w);
        return out;
    }

    private static float sigmoid(float z) {
        return (float) (1 / (1 + Math.exp(-z)));
    }

    private static Lstm lstm(JsonNode parts) {
        return new Lstm(JsonWeights.matrix(parts.get(0)), JsonWeights.matrix(parts.get(1)), JsonWeights.vector(parts.get(2)));
    }
}
