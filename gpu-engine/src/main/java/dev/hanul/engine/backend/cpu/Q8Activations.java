package dev.hanul.engine.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A matrix input quantized the way llama.cpp quantizes activations (its q8_0/q8_1): every block of 32 values becomes
 * 32 integers in [-127, 127] and a scale {@code d = max|x| / 127}, plus the block's sum {@code d * sum(q)}, which the
 * 4-bit formats need for their offsets. Done once per matrix input and shared by every row and thread, so the
 * products against the weights are integer multiply-adds. The integers are kept widened to 16 bits: the kernels
 * broadcast them into 16-bit lanes.
 *
 * <p>Rounding is half away from zero, as ggml's reference {@code roundf}. A token's quantization depends on its own
 * values only, so a token gets the same integers alone or in a batch.
 */
final class Q8Activations {

    static final int BLOCK = 32;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256.length() == 8 && Int8Species.BITS >= 256
            ? FloatVector.SPECIES_256 : FloatVector.SPECIES_128;
    private static final VectorSpecies<Short> S = F.length() == 8 ? ShortVector.SPECIES_128 : ShortVector.SPECIES_64;
    private static final VectorSpecies<Integer> I = F.length() == 8 ? IntVector.SPECIES_256 : IntVector.SPECIES_128;

    short[] quants = new short[0];
    /** Per block: the scale {@code d}. */
    float[] scales = new float[0];
    /** Per block: {@code d * sum(q)}. */
    float[] sums = new float[0];
    int tokens;
    int columns;
    int blocks;

    /** Makes room for {@code tokens} rows of {@code columns} values (a multiple of 32). */
    void reset(int tokens, int columns) {
        if (columns % BLOCK != 0) {
            throw new IllegalArgumentException("int8 activations need a multiple of 32 columns, got " + columns);
        }
        this.tokens = tokens;
        this.columns = columns;
        this.blocks = columns / BLOCK;
        if (quants.length < tokens * columns) {
            quants = new short[tokens * columns];
            scales = new float[tokens * blocks];
            sums = new float[tokens * blocks];
        }
    }

    /** Quantizes rows {@code [from, to)} of {@code x} (row-major, {@link #columns} wide). */
    void quantize(float[] x, int from, int to) {
        for (int t = from; t < to; t++) {
            for (int b = 0; b < blocks; b++) {
                quantizeBlock(x, t * columns + b * BLOCK, t * blocks + b);
            }
        }
    }

    private void quantizeBlock(float[] x, int offset, int block) {
        int n = F.length();
        float max = 0;
        for (int i = 0; i < BLOCK; i += n) {
            max = Math.max(max, FloatVector.fromArray(F, x, offset + i).lanewise(VectorOperators.ABS)
                    .reduceLanes(VectorOperators.MAX));
        }
        float d = max / 127f;
        float inverse = d != 0 ? 1f / d : 0f;
        int sum = 0;
        for (int i = 0; i < BLOCK; i += n) {
            FloatVector scaled = FloatVector.fromArray(F, x, offset + i).mul(inverse);
            FloatVector half = FloatVector.broadcast(F, 0.5f)
                    .blend(FloatVector.broadcast(F, -0.5f), scaled.lt(0f));
            IntVector q = (IntVector) scaled.add(half).convertShape(VectorOperators.F2I, I, 0);
            sum += q.reduceLanes(VectorOperators.ADD);
            q.convertShape(VectorOperators.I2S, S, 0).reinterpretAsShorts().intoArray(quants, offset + i);
        }
        scales[block] = d;
        sums[block] = d * sum;
    }
}
