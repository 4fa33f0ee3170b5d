package dev.hanul.guard;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The prompt-injection classifier of the crates.io package jailguard 0.1.2 (MIT or Apache-2.0): a two-layer MLP
 * (384 → 256 → 128 → 1, relu, sigmoid) over the unit-length mean-pooled all-MiniLM-L6-v2 embedding, read from its
 * {@code neural_binary_200k.json}. English only: it was trained on English attacks.
 */
final class JailguardMlp {

    static final String FILE = "neural_binary_200k.json";

    private final float[][] w1;
    private final float[] b1;
    private final float[][] w2;
    private final float[] b2;
    private final float[] wOut;
    private final float bOut;

    private JailguardMlp(JsonNode m) {
        this.w1 = JsonWeights.matrix(m.get("w_h1"));
        this.b1 = JsonWeights.vector(m.get("b_h1"));
        this.w2 = JsonWeights.matrix(m.get("w_h2"));
        this.b2 = JsonWeights.vector(m.get("b_h2"));
        this.wOut = JsonWeights.vector(m.get("w_out").get(0));
        this.bOut = (float) m.get("b_out").get(0).asDouble();
    }

    static JailguardMlp load(Path directory) {
        Path file = directory.resolve(FILE);
        try (InputStream in = Files.newInputStream(file)) {
            return new JailguardMlp(JsonMapper.builder().build().readTree(in));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Cannot read jailguard's model " + file + ": " + e.getMessage(), e);
        }
    }

    /** The probability that the embedded text is an attack. */
    double probability(float[] embedding) {
        float[] h1 = relu(layer(w1, b1, embedding));
        float[] h2 = relu(layer(w2, b2, h1));
        double z = bOut;
        for (int i = 0; i < h2.length; i++) {
            z += wOut[i] * h2[i];
        }
        return 1 / (1 + Math.exp(-z));
    }

    /** W x + b with W stored [out][in], as jailguard stores it. */
    private static float[] layer(float[][] w, float[] b, float[] x) {
        float[] out = new float[w.length];
        for (int o = 0; o < w.length; o++) {
            float sum = b[o];
            float[] row = w[o];
            for (int i = 0; i < x.length; i++) {
                sum += row[i] * x[i];
            }
            out[o] = sum;
        }
        return out;
    }

    private static float[] relu(float[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.max(0, x[i]);
        }
        return x;
    }
}
