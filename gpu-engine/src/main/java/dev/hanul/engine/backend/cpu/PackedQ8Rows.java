package dev.hanul.engine.backend.cpu;

import static dev.hanul.engine.backend.cpu.Int8Species.FS;
import static dev.hanul.engine.backend.cpu.Int8Species.G;
import static dev.hanul.engine.backend.cpu.Int8Species.H;
import static dev.hanul.engine.backend.cpu.Int8Species.IS;
import static dev.hanul.engine.backend.cpu.Int8Species.S;

import dev.hanul.engine.gguf.GgmlType;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q8_0, Q5_0, Q5_K and Q6_K as {@link PackedRows}: integers that fit a byte, {@code value = d * q + m} per block of 32
 * (Q8_0: m = 0; Q5_0: q - 16 in [-16, 15], m = 0; Q5_K: q in [0, 31], its sub-block scale and minimum folded into d
 * and m; Q6_K: q - 32 in [-32, 31], m = 0 and a scale per 16 values), so a block's product is
 * {@code d * dx * sum(q * qx) + m * sx}. A 16-bit lane holds two of a row's weights (elements j and j + 1),
 * sign-extended by shifts. Two products of int8 values fit 16 bits (at most 2 * 128 * 127), more do not, so each pair
 * is widened to 32-bit lanes and summed there.
 */
final class PackedQ8Rows implements PackedRows {

    /** 16-bit words per row and block. */
    private static final int WORDS = 16;

    private final int rows;
    private final int columns;
    private final int blocks;
    /** [group][block][word][lane]. */
    private final short[] quants;
    /** [group][block][lane]: d, of the block or (Q6_K) of its first 16 values. */
    private final float[] scales;
    /** [group][block][lane]: d of the block's last 16 values (Q6_K), else null. */
    private final float[] secondScales;
    /** [group][block][lane]: m (Q5_K), else null. */
    private final float[] offsets;

    private PackedQ8Rows(int rows, int columns, short[] quants, float[] scales, float[] secondScales,
                         float[] offsets) {
        this.rows = rows;
        this.columns = columns;
        this.blocks = columns / 32;
        this.quants = quants;
        this.scales = scales;
        this.secondScales = secondScales;
        this.offsets = offsets;
    }

    /** Q8_0, Q5_0, Q5_K or Q6_K, read through {@link Int8Blocks}. */
    static PackedQ8Rows pack(CpuMatrix m) {
        boolean split = m.type() == GgmlType.Q6_K;
        boolean offset = m.type() == GgmlType.Q5_K;
        int blocks = m.columns / 32;
        int groups = (m.rows + G - 1) / G;
        short[] quants = new short[groups * blocks * WORDS * G];
        float[] scales = new float[groups * blocks * G];
        float[] secondScales = split ? new float[scales.length] : null;
        float[] offsets = offset ? new float[scales.length] : null;
        int[] q = new int[32];
        float[] factors = new float[3];
        for (int r = 0; r < m.rows; r++) {
            int g = r / G;
            int lane = Int8Species.lane(r % G);
            for (int b = 0; b < blocks; b++) {
                Int8Blocks.read(m, r, b, q, factors);
                int s = (g * blocks + b) * G + r % G;
                scales[s] = factors[Int8Blocks.FIRST_SCALE];
                if (split) {
                    secondScales[s] = factors[Int8Blocks.SECOND_SCALE];
                }
                if (offset) {
                    offsets[s] = factors[Int8Blocks.OFFSET];
                }
                for (int w = 0; w < WORDS; w++) {
                    quants[((g * blocks + b) * WORDS + w) * G + lane] =
                            (short) ((q[2 * w] & 0xFF) | q[2 * w + 1] << 8);
                }
            }
        }
        return new PackedQ8Rows(m.rows, m.columns, quants, scales, secondScales, offsets);
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
            for (int t = 0; t < x.tokens; t++) {
                if (PackedQ4Rows.PAIRS && secondScales == null && offsets == null && t + 1 < x.tokens) {
                    pair(x, t, out, g);
                    t++;
                } else if (secondScales != null) {
                    groupSplit(x, t, out, g);
                } else if (offsets != null) {
                    groupWithOffsets(x, t, out, g);
                } else {
                    group(x, t, out, g);
                }
            }
        }
    }

    private void group(Q8Activations x, int t, float[] out, int g) {
        short[] a = x.quants;
        FloatVector y0 = FloatVector.zero(FS);
        FloatVector y1 = FloatVector.zero(FS);
        for (int b = 0; b < blocks; b++) {
            int at = t * columns + b * 32;
            int w = (g * blocks + b) * WORDS * G;
            IntVector i0 = IntVector.zero(IS);
            IntVector i1 = IntVector.zero(IS);
            for (int k = 0; k < WORDS; k++, w += G, at += 2) {
                ShortVector v = ShortVector.fromArray(S, quants, w);
                ShortVector p = v.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 8).mul(a[at])
                        .add(v.lanewise(VectorOperators.ASHR, 8).mul(a[at + 1]));
                i0 = i0.add(Int8Species.evenLanes(p));
                i1 = i1.add(Int8Species.oddLanes(p));
            }
            int s = (g * blocks + b) * G;
            float dx = x.scales[t * x.blocks + b];
            y0 = blockStep(i0, s, dx, y0);
            y1 = blockStep(i1, s + H, dx, y1);
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

    /**
     * Q8_0, tokens {@code t} and {@code t + 1}: each weight vector loaded and sign-extended once for both, every
     * operation written out (see {@link PackedQ4Rows}' pair kernel); the same float steps per token as {@link #group}.
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
            IntVector i0 = IntVector.zero(IS);
            IntVector i1 = IntVector.zero(IS);
            IntVector j0 = IntVector.zero(IS);
            IntVector j1 = IntVector.zero(IS);
            for (int k = 0; k < WORDS; k++, w += G, at += 2, bt += 2) {
                ShortVector v = ShortVector.fromArray(S, quants, w);
                ShortVector low = v.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 8);
                ShortVector high = v.lanewise(VectorOperators.ASHR, 8);
                IntVector p = low.mul(a[at]).add(high.mul(a[at + 1])).reinterpretAsInts();
                IntVector q = low.mul(a[bt]).add(high.mul(a[bt + 1])).reinterpretAsInts();
                i0 = i0.add(p.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16));
                i1 = i1.add(p.lanewise(VectorOperators.ASHR, 16));
                j0 = j0.add(q.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16));
                j1 = j1.add(q.lanewise(VectorOperators.ASHR, 16));
            }
            int s = (g * blocks + b) * G;
            FloatVector d0 = FloatVector.fromArray(FS, scales, s);
            FloatVector d1 = FloatVector.fromArray(FS, scales, s + H);
            float dx = x.scales[t * x.blocks + b];
            float dx2 = x.scales[(t + 1) * x.blocks + b];
            y0 = ((FloatVector) i0.convert(VectorOperators.I2F, 0)).fma(d0.mul(dx), y0);
            y1 = ((FloatVector) i1.convert(VectorOperators.I2F, 0)).fma(d1.mul(dx), y1);
            z0 = ((FloatVector) j0.convert(VectorOperators.I2F, 0)).fma(d0.mul(dx2), z0);
            z1 = ((FloatVector) j1.convert(VectorOperators.I2F, 0)).fma(d1.mul(dx2), z1);
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

    /** Q5_K: as {@link #group}, plus {@code m * sx} per block. */
    private void groupWithOffsets(Q8Activations x, int t, float[] out, int g) {
        short[] a = x.quants;
        FloatVector y0 = FloatVector.zero(FS);
        FloatVector y1 = FloatVector.zero(FS);
        for (int b = 0; b < blocks; b++) {
            int at = t * columns + b * 32;
            int w = (g * blocks + b) * WORDS * G;
            IntVector i0 = IntVector.zero(IS);
            IntVector i1 = IntVector.zero(IS);
            for (int k = 0; k < WORDS; k++, w += G, at += 2) {
                ShortVector v = ShortVector.fromArray(S, quants, w);
                ShortVector p = v.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 8).mul(a[at])
                        .add(v.lanewise(VectorOperators.ASHR, 8).mul(a[at + 1]));
                i0 = i0.add(Int8Species.evenLanes(p));
                i1 = i1.add(Int8Species.oddLanes(p));
            }
            int s = (g * blocks + b) * G;
            int xb = t * x.blocks + b;
            float dx = x.scales[xb];
            FloatVector sx = FloatVector.broadcast(FS, x.sums[xb]);
            y0 = blockStep(i0, s, dx, FloatVector.fromArray(FS, offsets, s).fma(sx, y0));
            y1 = blockStep(i1, s + H, dx, FloatVector.fromArray(FS, offsets, s + H).fma(sx, y1));
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

    /** Q6_K: a scale per 16 values, so each half block is summed and scaled on its own. */
    private void groupSplit(Q8Activations x, int t, float[] out, int g) {
        short[] a = x.quants;
        FloatVector y0 = FloatVector.zero(FS);
        FloatVector y1 = FloatVector.zero(FS);
        for (int b = 0; b < blocks; b++) {
            int at = t * columns + b * 32;
            int w = (g * blocks + b) * WORDS * G;
            int s = (g * blocks + b) * G;
            float dx = x.scales[t * x.blocks + b];
            for (int half = 0; half < 2; half++) {
                IntVector i0 = IntVector.zero(IS);
                IntVector i1 = IntVector.zero(IS);
                for (int k = 0; k < WORDS / 2; k++, w += G, at += 2) {
                    ShortVector v = ShortVector.fromArray(S, quants, w);
                    ShortVector p = v.lanewise(VectorOperators.LSHL, 8).lanewise(VectorOperators.ASHR, 8)
                            .mul(a[at]).add(v.lanewise(VectorOperators.ASHR, 8).mul(a[at + 1]));
                    i0 = i0.add(Int8Species.evenLanes(p));
                    i1 = i1.add(Int8Species.oddLanes(p));
                }
                float[] d = half == 0 ? scales : secondScales;
                y0 = ((FloatVector) i0.convert(VectorOperators.I2F, 0))
                        .fma(FloatVector.fromArray(FS, d, s).mul(dx), y0);
                y1 = ((FloatVector) i1.convert(VectorOperators.I2F, 0))
                        .fma(FloatVector.fromArray(FS, d, s + H).mul(dx), y1);
            }
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

    private FloatVector blockStep(IntVector sum, int s, float dx, FloatVector y) {
        return ((FloatVector) sum.convert(VectorOperators.I2F, 0))
                .fma(FloatVector.fromArray(FS, scales, s).mul(dx), y);
    }
}
