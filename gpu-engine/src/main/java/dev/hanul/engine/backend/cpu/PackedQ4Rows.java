package dev.hanul.engine.backend.cpu;

import static dev.hanul.engine.backend.cpu.Int8Species.FS;
import static dev.hanul.engine.backend.cpu.Int8Species.G;
import static dev.hanul.engine.backend.cpu.Int8Species.H;
import static dev.hanul.engine.backend.cpu.Int8Species.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q4_0, Q4_1 and Q4_K as {@link PackedRows}. All are {@code value = d * q + m} per block of 32 with q a nibble in
 * [0, 15] ({@code m = -8d} for Q4_0, exact in float; Q4_K's sub-block scale and minimum folded into d and m), so a block's product is {@code d * dx * sum(q * qx) + m * dx * sum(qx)}, the second sum
 * coming with the activations. A 16-bit lane holds two bytes of a row's block, four nibbles (elements j, j + 16,
 * j + 1, j + 17: ggml's order), unpacked by shifts and masks without widening. Products of a nibble and an int8 are
 * at most 15 * 127, so 16 of them fit a 16-bit lane: the low and the high nibbles of a block get one accumulator
 * each, added in float (exactly: integers below 2^24).
 */
final class PackedQ4Rows implements PackedRows {

    /** 16-bit words per row and block. */
    private static final int WORDS = 8;

    private final int rows;
    private final int columns;
    private final int blocks;
    /** [group][block][word][lane]. */
    private final short[] quants;
    /** [group][block][lane]. */
    private final float[] scales;
    private final float[] offsets;

    private PackedQ4Rows(int rows, int columns, short[] quants, float[] scales, float[] offsets) {
        this.rows = rows;
        this.columns = columns;
        this.blocks = columns / 32;
        this.quants = quants;
        this.scales = scales;
        this.offsets = offsets;
    }

    /** Q4_0, Q4_1 or Q4_K (whose sub-blocks of 32 are read as blocks of their own, see {@link Int8Blocks}). */
    static PackedQ4Rows pack(CpuMatrix m) {
        int blocks = m.columns / 32;
        int groups = (m.rows + G - 1) / G;
        short[] quants = new short[groups * blocks * WORDS * G];
        float[] scales = new float[groups * blocks * G];
        float[] offsets = new float[groups * blocks * G];
        int[] q = new int[32];
        float[] factors = new float[3];
        for (int r = 0; r < m.rows; r++) {
            int g = r / G;
            int lane = Int8Species.lane(r % G);
            for (int b = 0; b < blocks; b++) {
                Int8Blocks.read(m, r, b, q, factors);
                int s = (g * blocks + b) * G + r % G;
                scales[s] = factors[Int8Blocks.FIRST_SCALE];
                offsets[s] = factors[Int8Blocks.OFFSET];
                for (int w = 0; w < WORDS; w++) {
                    // ggml's Q4_0 byte order: byte i holds elements i (low nibble) and i + 16 (high nibble).
                    int low = q[2 * w] | q[2 * w + 16] << 4;
                    int high = q[2 * w + 1] | q[2 * w + 17] << 4;
                    quants[((g * blocks + b) * WORDS + w) * G + lane] = (short) (low | high << 8);
                }
            }
        }
        return new PackedQ4Rows(m.rows, m.columns, quants, scales, offsets);
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int columns() {
        return columns;
    }

    @Override
    public void multiply(Q8Activations x, float[] out, int from, int to) {
        // Token by token within a group, whose weights stay in the L1 cache meanwhile. A kernel that shares each
        // unpacked weight vector between two tokens measured several times slower: with twice the live vectors C2
        // no longer compiles every Vector API call to an instruction, and vectors get allocated on the heap.
        for (int g = from; g < to; g++) {
            int t = 0;
            if (PAIRS) {
                for (; t + 2 <= x.tokens; t += 2) {
                    pair(x, t, out, g);
                }
            }
            for (; t < x.tokens; t++) {
                group(x, t, out, g);
            }
        }
    }

    /**
     * Whether batches go two tokens per pass (the default); {@code -Dhanul.cpu.pairs=false} takes one token per pass,
     * for measuring what pairing gains ({@code bin/hanul bench kernels}). Results are the same bits either way.
     */
    static final boolean PAIRS = Boolean.parseBoolean(System.getProperty("hanul.cpu.pairs", "true"));

    /**
     * Tokens {@code t} and {@code t + 1}: each weight vector unpacked once for both. The integer sums are exact and
     * each token's float steps are those of {@link #group}, in the same order, so a token's result is the same
     * whichever kernel took it.
     */
    private void pair(Q8Activations x, int t, float[] out, int g) {
        short[] a = x.quants;
        FloatVector y0 = FloatVector.zero(FS);
        FloatVector y1 = FloatVector.zero(FS);
        FloatVector z0 = FloatVector.zero(FS);
        FloatVector z1 = FloatVector.zero(FS);
        for (int b = 0; b < blocks; b++) {
            int at = t * columns + b * 32;
            int bt = at + columns;
            int w = (g * blocks + b) * WORDS * G;
            ShortVector lo = ShortVector.zero(S);
            ShortVector hi = ShortVector.zero(S);
            ShortVector lo2 = ShortVector.zero(S);
            ShortVector hi2 = ShortVector.zero(S);
            for (int k = 0; k < WORDS; k++, w += G, at += 2, bt += 2) {
                ShortVector v = ShortVector.fromArray(S, quants, w);
                ShortVector n0 = v.and((short) 0xF);
                ShortVector n1 = v.lanewise(VectorOperators.LSHR, 8).and((short) 0xF);
                ShortVector n2 = v.lanewise(VectorOperators.LSHR, 4).and((short) 0xF);
                ShortVector n3 = v.lanewise(VectorOperators.LSHR, 12);
                lo = lo.add(n0.mul(a[at])).add(n1.mul(a[at + 1]));
                hi = hi.add(n2.mul(a[at + 16])).add(n3.mul(a[at + 17]));
                lo2 = lo2.add(n0.mul(a[bt])).add(n1.mul(a[bt + 1]));
                hi2 = hi2.add(n2.mul(a[bt + 16])).add(n3.mul(a[bt + 17]));
            }
            // blockStep's and Int8Species' operations written out: once a method's graph passes 18,000 nodes, C2
            // inlines only the Vector API's own (force-inlined) methods, and a vector passed to any other call
            // becomes a heap object. Even lanes: shifted up and back; odd lanes: shifted down.
            IntVector loInts = lo.reinterpretAsInts();
            IntVector hiInts = hi.reinterpretAsInts();
            IntVector loInts2 = lo2.reinterpretAsInts();
            IntVector hiInts2 = hi2.reinterpretAsInts();
            IntVector even = loInts.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(hiInts.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16));
            IntVector odd = loInts.lanewise(VectorOperators.ASHR, 16).add(hiInts.lanewise(VectorOperators.ASHR, 16));
            IntVector even2 = loInts2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(hiInts2.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16));
            IntVector odd2 = loInts2.lanewise(VectorOperators.ASHR, 16)
                    .add(hiInts2.lanewise(VectorOperators.ASHR, 16));
            int xb = t * x.blocks + b;
            int xb2 = xb + x.blocks;
            int s = (g * blocks + b) * G;
            FloatVector d0 = FloatVector.fromArray(FS, scales, s);
            FloatVector d1 = FloatVector.fromArray(FS, scales, s + H);
            FloatVector m0 = FloatVector.fromArray(FS, offsets, s);
            FloatVector m1 = FloatVector.fromArray(FS, offsets, s + H);
            FloatVector sx = FloatVector.broadcast(FS, x.sums[xb]);
            FloatVector sx2 = FloatVector.broadcast(FS, x.sums[xb2]);
            y0 = ((FloatVector) even.convert(VectorOperators.I2F, 0)).fma(d0.mul(x.scales[xb]), m0.fma(sx, y0));
            y1 = ((FloatVector) odd.convert(VectorOperators.I2F, 0)).fma(d1.mul(x.scales[xb]), m1.fma(sx, y1));
            z0 = ((FloatVector) even2.convert(VectorOperators.I2F, 0)).fma(d0.mul(x.scales[xb2]), m0.fma(sx2, z0));
            z1 = ((FloatVector) odd2.convert(VectorOperators.I2F, 0)).fma(d1.mul(x.scales[xb2]), m1.fma(sx2, z1));
        }
        int at = t * rows + g * G;
        int valid = rows - g * G;
        if (valid >= G) {
            y0.intoArray(out, at);
            y1.intoArray(out, at + H);
            z0.intoArray(out, at + rows);
            z1.intoArray(out, at + rows + H);
        } else {
            y0.intoArray(out, at, FS.indexInRange(0, valid));
            y1.intoArray(out, at + H, FS.indexInRange(H, valid));
            z0.intoArray(out, at + rows, FS.indexInRange(0, valid));
            z1.intoArray(out, at + rows + H, FS.indexInRange(H, valid));
        }
    }

    private void group(Q8Activations x, int t, float[] out, int g) {
        short[] a = x.quants;
        FloatVector y0 = FloatVector.zero(FS);
        FloatVector y1 = FloatVector.zero(FS);
        for (int b = 0; b < blocks; b++) {
            int at = t * columns + b * 32;
            int w = (g * blocks + b) * WORDS * G;
            ShortVector lo = ShortVector.zero(S);
            ShortVector hi = ShortVector.zero(S);
            for (int k = 0; k < WORDS; k++, w += G, at += 2) {
                ShortVector v = ShortVector.fromArray(S, quants, w);
                lo = lo.add(v.and((short) 0xF).mul(a[at]))
                        .add(v.lanewise(VectorOperators.LSHR, 8).and((short) 0xF).mul(a[at + 1]));
                hi = hi.add(v.lanewise(VectorOperators.LSHR, 4).and((short) 0xF).mul(a[at + 16]))
                        .add(v.lanewise(VectorOperators.LSHR, 12).mul(a[at + 17]));
            }
            int xb = t * x.blocks + b;
            int s = (g * blocks + b) * G;
            // Written out, as in pair: a call that passes vectors may not be inlined, and then boxes them.
            IntVector loInts = lo.reinterpretAsInts();
            IntVector hiInts = hi.reinterpretAsInts();
            IntVector even = loInts.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                    .add(hiInts.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16));
            IntVector odd = loInts.lanewise(VectorOperators.ASHR, 16).add(hiInts.lanewise(VectorOperators.ASHR, 16));
            FloatVector sx = FloatVector.broadcast(FS, x.sums[xb]);
            y0 = ((FloatVector) even.convert(VectorOperators.I2F, 0))
                    .fma(FloatVector.fromArray(FS, scales, s).mul(x.scales[xb]),
                            FloatVector.fromArray(FS, offsets, s).fma(sx, y0));
            y1 = ((FloatVector) odd.convert(VectorOperators.I2F, 0))
                    .fma(FloatVector.fromArray(FS, scales, s + H).mul(x.scales[xb]),
                            FloatVector.fromArray(FS, offsets, s + H).fma(sx, y1));
        }
        int at = t * rows + g * G;
        int valid = rows - g * G;
        if (valid >= G) {
            y0.intoArray(out, at);
            y1.intoArray(out, at + H);
        } else {
            // The last group's rows past the matrix: written only in the lanes that exist.
            y0.intoArray(out, at, FS.indexInRange(0, valid));
            y1.intoArray(out, at + H, FS.indexInRange(H, valid));
        }
    }
}
