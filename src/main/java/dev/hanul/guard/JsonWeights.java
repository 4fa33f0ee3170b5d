package dev.hanul.guard;

import tools.jackson.databind.JsonNode;

/** Weights exported as JSON arrays (jailguard's MLP, the toxicity BiLSTM), read into float arrays. */
final class JsonWeights {

    private JsonWeights() {
    }

    /** An array of rows. */
    static float[][] matrix(JsonNode rows) {
        float[][] m = new float[rows.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = vector(rows.get(i));
        }
        return m;
    }

    static float[] vector(JsonNode values) {
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) values.get(i).asDouble();
        }
        return v;
    }
}
