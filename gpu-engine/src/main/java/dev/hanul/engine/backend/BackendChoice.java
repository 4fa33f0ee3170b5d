package dev.hanul.engine.backend;

import java.util.Locale;

/**
 * Which backend runs the model: {@code auto} (CUDA when a device, its driver and this build's kernels are there,
 * else the CPU), or one forced. Set by the system property {@code hanul.engine.backend} or the environment variable
 * {@code HANUL_BACKEND}; the default is auto.
 */
public enum BackendChoice {
    AUTO, CPU, CUDA;

    public static BackendChoice configured() {
        String value = System.getProperty("hanul.engine.backend", System.getenv("HANUL_BACKEND"));
        return value == null || value.isBlank() ? AUTO : parse(value);
    }

    public static BackendChoice parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown backend '%s': use auto, cpu or cuda".formatted(value));
        }
    }
}
