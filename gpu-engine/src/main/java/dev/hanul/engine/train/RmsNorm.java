package dev.hanul.engine.train;

/** RMSNorm, {@code y = x / rms(x) * gain}, and its gradient with respect to {@code x} (the gain is frozen). */
final class RmsNorm {

    private RmsNorm() {
    }

    /** Normalizes {@code tokens} rows of {@code width}; keeps each row's {@code 1 / rms} for the backward pass. */
    static void forward(float[] x, float[] gain, int tokens, int width, float eps, float[] y, float[] inverse) {
        for (int t = 0; t < tokens; t++) {
            int base = t * width;
            double squares = 0;
            for (int i = 0; i < width; i++) {
                squares += (double) x[base + i] * x[base + i];
            }
            float r = (float) (1.0 / Math.sqrt(squares / width + eps));
            inverse[t] = r;
            for (int i = 0; i < width; i++) {
                y[base + i] = x[base + i] * r * gain[i];
            }
        }
    }

    /**
     * {@code dx += J^T dy}: with {@code r = 1 / rms(x)},
     * {@code dx_i = r g_i dy_i - x_i r^3 / width * sum_j g_j dy_j x_j}.
     */
    static void backwardAdd(float[] x, float[] inverse, float[] gain, float[] dy, int tokens, int width, float[] dx) {
        for (int t = 0; t < tokens; t++) {
            int base = t * width;
            double dot = 0;
            for (int i = 0; i < width; i++) {
                dot += (double) gain[i] * dy[base + i] * x[base + i];
            }
            float r = inverse[t];
            float c = (float) (dot * r * r * r / width);
            for (int i = 0; i < width; i++) {
                dx[base + i] += r * gain[i] * dy[base + i] - x[base + i] * c;
            }
        }
    }
}
