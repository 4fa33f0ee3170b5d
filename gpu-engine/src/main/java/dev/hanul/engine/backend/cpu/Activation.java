package dev.hanul.engine.backend.cpu;

/** Activation functions whose exact formula matters for agreeing with the reference implementations. */
final class Activation {

    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    private Activation() {
    }

    /** GELU with the tanh approximation (PyTorch's gelu(approximate="tanh"), Gemma's gelu_pytorch_tanh). */
    static float geluTanh(float x) {
        double inner = SQRT_2_OVER_PI * (x + 0.044715 * x * x * x);
        return (float) (0.5 * x * (1 + Math.tanh(inner)));
    }
}
