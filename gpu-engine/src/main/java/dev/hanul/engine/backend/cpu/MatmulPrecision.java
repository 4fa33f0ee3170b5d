package dev.hanul.engine.backend.cpu;

/** How the CPU backend multiplies quantized weights by activations. */
public enum MatmulPrecision {

    /**
     * Weights widened to float and multiplied by the float activations: the reference, and the only path for F32,
     * F16, BF16 and the formats without an int8 kernel.
     */
    FLOAT,

    /**
     * Activations quantized to 8 bits per block of 32 (as llama.cpp does) once per matrix input, integer products
     * against Q8_0, Q4_0, Q4_1, Q5_0, Q4_K, Q5_K and Q6_K weights; other formats (F32, F16, BF16) fall back to
     * {@link #FLOAT}. The K-quants' sub-blocks of 32 meet activation blocks of 32, finer than llama.cpp's q8_K
     * blocks of 256.
     */
    INT8;

    /**
     * The system property {@code hanul.cpu.matmul}: {@code float} (the default) or {@code int8}. Float stays the
     * default because rounding the activations changes greedy choices where two tokens are nearly tied (SmolLM2-135M
     * Q4_1 answers the service's "capital of France" question differently), as it does in llama.cpp.
     */
    public static MatmulPrecision fromSystemProperty() {
        String value = System.getProperty("hanul.cpu.matmul", "float").strip();
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "int8" -> INT8;
            case "float" -> FLOAT;
            default -> throw new IllegalArgumentException(
                    "hanul.cpu.matmul must be int8 or float, got '" + value + "'");
        };
    }
}
