package dev.hanul.engine.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dot products in one fixed order of floating-point operations, so that a token's result never depends on how many
 * other tokens share the step (batch invariance: a sequence decodes the same tokens alone or in a batch of 32).
 *
 * <p>The order: vector chunks of {@code L} floats alternate between two accumulators (chunk 0, 2, 4, ... into the
 * first, 1, 3, 5, ... into the second, by fused multiply-add), a last odd chunk goes to the first, the two are added
 * and reduced, then leftover elements are added one by one. Two chains halve the latency a single chain would wait
 * on. The final reduction across lanes is a fixed butterfly of lanewise additions ({@link #sum}) rather than
 * {@code reduceLanes}, whose order the JIT may change between the interpreter and compiled code. Every kernel of the
 * CPU backend that computes a product of a weight row and an activation (the per-format
 * fused dots, the tiles below) follows this order exactly.
 *
 * <p>The tiles multiply several dequantized rows by several tokens at once, keeping all partial sums in registers:
 * each loaded weight vector is used for every token of the tile and each activation vector for every row, which is
 * what makes a batched step cheaper per token than one token at a time.
 */
final class DotKernels {

    /** The preferred vector size, at most 16 floats so that a pair of chunks never spans two 32-weight blocks. */
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED.length() > 16
            ? FloatVector.SPECIES_512 : FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    /** Rows per tile. */
    static final int ROWS = 4;

    /** Shuffles that swap lanes {@code i} and {@code i ^ s} for s = 1, 2, 4, 8: the butterfly of {@link #sum}. */
    private static final VectorShuffle<Float>[] BUTTERFLY = butterfly();

    private DotKernels() {
    }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] butterfly() {
        VectorShuffle<Float>[] shuffles = new VectorShuffle[Integer.numberOfTrailingZeros(L)];
        for (int k = 0; k < shuffles.length; k++) {
            int step = 1 << k;
            shuffles[k] = VectorShuffle.fromOp(F, i -> i ^ step);
        }
        return shuffles;
    }

    /** The sum of the lanes of {@code v}, always in the same order. */
    static float sum(FloatVector v) {
        for (int k = BUTTERFLY.length - 1; k >= 0; k--) {
            v = v.add(v.rearrange(BUTTERFLY[k]));
        }
        return v.lane(0);
    }

    /** {@code a[aOffset ..] . b[bOffset ..]} over {@code length} floats, in the canonical order. */
    static float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * L <= length; i += 2 * L) {
            acc0 = FloatVector.fromArray(F, a, aOffset + i).fma(FloatVector.fromArray(F, b, bOffset + i), acc0);
            acc1 = FloatVector.fromArray(F, a, aOffset + i + L).fma(FloatVector.fromArray(F, b, bOffset + i + L),
                    acc1);
        }
        if (i + L <= length) {
            acc0 = FloatVector.fromArray(F, a, aOffset + i).fma(FloatVector.fromArray(F, b, bOffset + i), acc0);
            i += L;
        }
        return tail(a, aOffset, b, bOffset, i, length, sum(acc0.add(acc1)));
    }

    /** Adds the elements {@code [from, length)} one by one to {@code sum}: the last step of the canonical order. */
    static float tail(float[] a, int aOffset, float[] b, int bOffset, int from, int length, float sum) {
        for (int i = from; i < length; i++) {
            sum += a[aOffset + i] * b[bOffset + i];
        }
        return sum;
    }

    /**
     * Four rows ({@code w[wOffset + k * length ..]}, k = 0..3) times two tokens ({@code x[x0 ..]}, {@code x[x1 ..]}):
     * {@code out[o0 + k]} and {@code out[o1 + k]}.
     */
    static void tile4x2(float[] w, int wOffset, float[] x, int x0, int x1, float[] out, int o0, int o1, int length) {
        int w1 = wOffset + length;
        int w2 = w1 + length;
        int w3 = w2 + length;
        FloatVector z = FloatVector.zero(F);
        FloatVector a00 = z, a10 = z, a20 = z, a30 = z, a01 = z, a11 = z, a21 = z, a31 = z;
        FloatVector b00 = z, b10 = z, b20 = z, b30 = z, b01 = z, b11 = z, b21 = z, b31 = z;
        int i = 0;
        for (; i + 2 * L <= length; i += 2 * L) {
            FloatVector v0 = FloatVector.fromArray(F, w, wOffset + i);
            FloatVector v1 = FloatVector.fromArray(F, w, w1 + i);
            FloatVector v2 = FloatVector.fromArray(F, w, w2 + i);
            FloatVector v3 = FloatVector.fromArray(F, w, w3 + i);
            FloatVector y = FloatVector.fromArray(F, x, x0 + i);
            a00 = v0.fma(y, a00);
            a10 = v1.fma(y, a10);
            a20 = v2.fma(y, a20);
            a30 = v3.fma(y, a30);
            y = FloatVector.fromArray(F, x, x1 + i);
            a01 = v0.fma(y, a01);
            a11 = v1.fma(y, a11);
            a21 = v2.fma(y, a21);
            a31 = v3.fma(y, a31);
            v0 = FloatVector.fromArray(F, w, wOffset + i + L);
            v1 = FloatVector.fromArray(F, w, w1 + i + L);
            v2 = FloatVector.fromArray(F, w, w2 + i + L);
            v3 = FloatVector.fromArray(F, w, w3 + i + L);
            y = FloatVector.fromArray(F, x, x0 + i + L);
            b00 = v0.fma(y, b00);
            b10 = v1.fma(y, b10);
            b20 = v2.fma(y, b20);
            b30 = v3.fma(y, b30);
            y = FloatVector.fromArray(F, x, x1 + i + L);
            b01 = v0.fma(y, b01);
            b11 = v1.fma(y, b11);
            b21 = v2.fma(y, b21);
            b31 = v3.fma(y, b31);
        }
        if (i + L <= length) {
            FloatVector v0 = FloatVector.fromArray(F, w, wOffset + i);
            FloatVector v1 = FloatVector.fromArray(F, w, w1 + i);
            FloatVector v2 = FloatVector.fromArray(F, w, w2 + i);
            FloatVector v3 = FloatVector.fromArray(F, w, w3 + i);
            FloatVector y = FloatVector.fromArray(F, x, x0 + i);
            a00 = v0.fma(y, a00);
            a10 = v1.fma(y, a10);
            a20 = v2.fma(y, a20);
            a30 = v3.fma(y, a30);
            y = FloatVector.fromArray(F, x, x1 + i);
            a01 = v0.fma(y, a01);
            a11 = v1.fma(y, a11);
            a21 = v2.fma(y, a21);
            a31 = v3.fma(y, a31);
            i += L;
        }
        out[o0] = tail(w, wOffset, x, x0, i, length, sum(a00.add(b00)));
        out[o0 + 1] = tail(w, w1, x, x0, i, length, sum(a10.add(b10)));
        out[o0 + 2] = tail(w, w2, x, x0, i, length, sum(a20.add(b20)));
        out[o0 + 3] = tail(w, w3, x, x0, i, length, sum(a30.add(b30)));
        out[o1] = tail(w, wOffset, x, x1, i, length, sum(a01.add(b01)));
        out[o1 + 1] = tail(w, w1, x, x1, i, length, sum(a11.add(b11)));
        out[o1 + 2] = tail(w, w2, x, x1, i, length, sum(a21.add(b21)));
        out[o1 + 3] = tail(w, w3, x, x1, i, length, sum(a31.add(b31)));
    }

    /** Four rows times one token: {@code out[o + k] = w[wOffset + k * length ..] . x[x0 ..]}. */
    static void tile4x1(float[] w, int wOffset, float[] x, int x0, float[] out, int o, int length) {
        int w1 = wOffset + length;
        int w2 = w1 + length;
        int w3 = w2 + length;
        FloatVector z = FloatVector.zero(F);
        FloatVector a0 = z, a1 = z, a2 = z, a3 = z, b0 = z, b1 = z, b2 = z, b3 = z;
        int i = 0;
        for (; i + 2 * L <= length; i += 2 * L) {
            FloatVector y = FloatVector.fromArray(F, x, x0 + i);
            a0 = FloatVector.fromArray(F, w, wOffset + i).fma(y, a0);
            a1 = FloatVector.fromArray(F, w, w1 + i).fma(y, a1);
            a2 = FloatVector.fromArray(F, w, w2 + i).fma(y, a2);
            a3 = FloatVector.fromArray(F, w, w3 + i).fma(y, a3);
            y = FloatVector.fromArray(F, x, x0 + i + L);
            b0 = FloatVector.fromArray(F, w, wOffset + i + L).fma(y, b0);
            b1 = FloatVector.fromArray(F, w, w1 + i + L).fma(y, b1);
            b2 = FloatVector.fromArray(F, w, w2 + i + L).fma(y, b2);
            b3 = FloatVector.fromArray(F, w, w3 + i + L).fma(y, b3);
        }
        if (i + L <= length) {
            FloatVector y = FloatVector.fromArray(F, x, x0 + i);
            a0 = FloatVector.fromArray(F, w, wOffset + i).fma(y, a0);
            a1 = FloatVector.fromArray(F, w, w1 + i).fma(y, a1);
            a2 = FloatVector.fromArray(F, w, w2 + i).fma(y, a2);
            a3 = FloatVector.fromArray(F, w, w3 + i).fma(y, a3);
            i += L;
        }
        out[o] = tail(w, wOffset, x, x0, i, length, sum(a0.add(b0)));
        out[o + 1] = tail(w, w1, x, x0, i, length, sum(a1.add(b1)));
        out[o + 2] = tail(w, w2, x, x0, i, length, sum(a2.add(b2)));
        out[o + 3] = tail(w, w3, x, x0, i, length, sum(a3.add(b3)));
    }
}
