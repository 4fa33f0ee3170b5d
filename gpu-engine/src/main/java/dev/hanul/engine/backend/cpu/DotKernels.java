package dev.hanul.engine.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
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

    /** Shuffles that swap lanes {@code i} and {@code i ^ s}: the butterfly of {@link #sum}, constants for the JIT. */
    private static final VectorShuffle<Float> SWAP_1 = VectorShuffle.fromOp(F, i -> i ^ 1);
    private static final VectorShuffle<Float> SWAP_2 = VectorShuffle.fromOp(F, i -> (i ^ 2) % L);
    private static final VectorShuffle<Float> SWAP_4 = VectorShuffle.fromOp(F, i -> (i ^ 4) % L);
    private static final VectorShuffle<Float> SWAP_8 = VectorShuffle.fromOp(F, i -> (i ^ 8) % L);

    /** Lanes i with {@code (i & s) != 0}, for the two-vector butterfly steps of {@link #sums}. */
    private static final VectorMask<Float> HIGH_8 = VectorMask.fromLong(F, 0xFF00L);
    private static final VectorMask<Float> HIGH_4 = VectorMask.fromLong(F, 0xF0F0L);
    private static final VectorMask<Float> HIGH_2 = VectorMask.fromLong(F, 0xCCCCL);

    private DotKernels() {
    }

    /**
     * The sum of the lanes of {@code v}, always in the same order. Straight-line code over constant shuffles: a loop
     * over an array of shuffles keeps the JIT from compiling the additions to vector instructions.
     */
    static float sum(FloatVector v) {
        if (L >= 16) {
            v = v.add(v.rearrange(SWAP_8));
        }
        if (L >= 8) {
            v = v.add(v.rearrange(SWAP_4));
        }
        if (L >= 4) {
            v = v.add(v.rearrange(SWAP_2));
        }
        return v.add(v.rearrange(SWAP_1)).lane(0);
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

    /**
     * {@code out[outOffset + j] = a[aOffset ..] . b[bOffsets[j] ..]} for j below {@code count} (at most 8), each the
     * same bits {@link #dot} gives, with the lane sums of all of them done together ({@link #sums}): what attention
     * needs, one query against the keys of up to 8 positions. {@code lanes} is scratch for 8 vectors.
     */
    static void dots(float[] a, int aOffset, float[] b, int[] bOffsets, int count, int length, float[] out,
                     int outOffset, float[] lanes) {
        int vectorEnd = 0;
        for (int j = 0; j < count; j++) {
            int bOffset = bOffsets[j];
            FloatVector acc0 = FloatVector.zero(F);
            FloatVector acc1 = FloatVector.zero(F);
            int i = 0;
            for (; i + 2 * L <= length; i += 2 * L) {
                acc0 = FloatVector.fromArray(F, a, aOffset + i).fma(FloatVector.fromArray(F, b, bOffset + i), acc0);
                acc1 = FloatVector.fromArray(F, a, aOffset + i + L)
                        .fma(FloatVector.fromArray(F, b, bOffset + i + L), acc1);
            }
            if (i + L <= length) {
                acc0 = FloatVector.fromArray(F, a, aOffset + i).fma(FloatVector.fromArray(F, b, bOffset + i), acc0);
                i += L;
            }
            acc0.add(acc1).intoArray(lanes, j * L);
            vectorEnd = i;
        }
        sums(lanes, count <= 4 ? 4 : 8);
        for (int j = 0; j < count; j++) {
            out[outOffset + j] = tail(a, aOffset, b, bOffsets[j], vectorEnd, length, lanes[j]);
        }
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
     * {@code out[o0 + k]} and {@code out[o1 + k]}. {@code lanes} is scratch for 8 vectors.
     */
    static void tile4x2(float[] w, int wOffset, float[] x, int x0, int x1, float[] out, int o0, int o1, int length,
                        float[] lanes) {
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
        a00.add(b00).intoArray(lanes, 0);
        a10.add(b10).intoArray(lanes, L);
        a20.add(b20).intoArray(lanes, 2 * L);
        a30.add(b30).intoArray(lanes, 3 * L);
        a01.add(b01).intoArray(lanes, 4 * L);
        a11.add(b11).intoArray(lanes, 5 * L);
        a21.add(b21).intoArray(lanes, 6 * L);
        a31.add(b31).intoArray(lanes, 7 * L);
        sums(lanes, 8);
        finish(w, wOffset, length, x, x0, i, lanes, 0, out, o0);
        finish(w, wOffset, length, x, x1, i, lanes, 4, out, o1);
    }

    /**
     * Sums four rows' partial vectors ({@code lanes} vectors {@code first .. first + 3}, after {@link #sums}: at
     * {@code lanes[first + k]}) and adds their tails. Kept out of the tiles: inlined into them, it would push the
     * tiles past the JIT's inlining budget, and every vector would then be boxed on the heap.
     */
    private static void finish(float[] w, int wOffset, int length, float[] x, int xOffset, int from, float[] lanes,
                               int first, float[] out, int o) {
        for (int k = 0; k < ROWS; k++) {
            out[o + k] = tail(w, wOffset + k * length, x, xOffset, from, length, lanes[first + k]);
        }
    }

    /**
     * Replaces the {@code count} (4 or 8) vectors in {@code lanes} by their lane sums, {@code lanes[k]} for vector k,
     * each the same bits {@link #sum} gives. With 16 lanes the butterflies of several vectors run together: each
     * step adds lane pairs of two vectors at once and packs the halves into one vector, so 8 sums cost about what 2
     * separate ones would.
     */
    static void sums(float[] lanes, int count) {
        if (L != 16) {
            for (int k = 0; k < count; k++) {
                lanes[k] = sum(FloatVector.fromArray(F, lanes, k * L));
            }
            return;
        }
        // After each step every vector's partial sums sit in a group of lanes: vector k of a pair in the lanes whose
        // bit s equals k. IEEE addition is commutative, so a mirrored lane gives the same bits as lane 0 would.
        FloatVector c0 = pairStep(vector(lanes, 0), vector(lanes, 1), HIGH_8, SWAP_8);
        FloatVector c1 = pairStep(vector(lanes, 2), vector(lanes, 3), HIGH_8, SWAP_8);
        if (count == 4) {
            FloatVector d = pairStep(c0, c1, HIGH_4, SWAP_4); // vectors 0, 2, 1, 3 in lane groups of 4
            d = d.add(d.rearrange(SWAP_2));
            d = d.add(d.rearrange(SWAP_1));
            d.intoArray(lanes, 0);
            float s0 = lanes[0];
            float s1 = lanes[8];
            float s2 = lanes[4];
            float s3 = lanes[12];
            lanes[0] = s0;
            lanes[1] = s1;
            lanes[2] = s2;
            lanes[3] = s3;
            return;
        }
        FloatVector c2 = pairStep(vector(lanes, 4), vector(lanes, 5), HIGH_8, SWAP_8);
        FloatVector c3 = pairStep(vector(lanes, 6), vector(lanes, 7), HIGH_8, SWAP_8);
        FloatVector d0 = pairStep(c0, c1, HIGH_4, SWAP_4);
        FloatVector d1 = pairStep(c2, c3, HIGH_4, SWAP_4);
        FloatVector e = pairStep(d0, d1, HIGH_2, SWAP_2); // vectors 0, 4, 2, 6, 1, 5, 3, 7 in lane pairs
        e = e.add(e.rearrange(SWAP_1));
        e.intoArray(lanes, 0);
        float s0 = lanes[0];
        float s1 = lanes[8];
        float s2 = lanes[4];
        float s3 = lanes[12];
        float s4 = lanes[2];
        float s5 = lanes[10];
        float s6 = lanes[6];
        float s7 = lanes[14];
        lanes[0] = s0;
        lanes[1] = s1;
        lanes[2] = s2;
        lanes[3] = s3;
        lanes[4] = s4;
        lanes[5] = s5;
        lanes[6] = s6;
        lanes[7] = s7;
    }

    /** Lanes i with {@code (i & s) == 0} get {@code x[i] + x[i ^ s]}, the others {@code y[i] + y[i ^ s]}. */
    private static FloatVector pairStep(FloatVector x, FloatVector y, VectorMask<Float> high,
                                        VectorShuffle<Float> swap) {
        return x.blend(y, high).add(y.blend(x, high).rearrange(swap));
    }

    private static FloatVector vector(float[] lanes, int k) {
        return FloatVector.fromArray(F, lanes, k * L);
    }

    /** Four rows times one token: {@code out[o + k] = w[wOffset + k * length ..] . x[x0 ..]}. */
    static void tile4x1(float[] w, int wOffset, float[] x, int x0, float[] out, int o, int length, float[] lanes) {
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
        a0.add(b0).intoArray(lanes, 0);
        a1.add(b1).intoArray(lanes, L);
        a2.add(b2).intoArray(lanes, 2 * L);
        a3.add(b3).intoArray(lanes, 3 * L);
        sums(lanes, 4);
        finish(w, wOffset, length, x, x0, i, lanes, 0, out, o);
    }
}
