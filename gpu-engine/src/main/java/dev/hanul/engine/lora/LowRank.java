package dev.hanul.engine.lora;

import dev.hanul.engine.backend.Weights;

/**
 * One adapted matrix: {@code W x} becomes {@code W x + B (A x)}, where {@code b} already carries the adapter's scale
 * (alpha / rank times the adapter scale), so a step needs no separate scaling.
 *
 * @param a    {@code rank x in}: llama.cpp's {@code lora_a}
 * @param b    {@code out x rank}, scaled: llama.cpp's {@code lora_b} times the scale
 * @param rank the adapter's rank for this matrix
 */
public record LowRank(Weights a, Weights b, int rank) {
}
