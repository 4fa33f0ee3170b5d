package dev.hanul.engine.backend.cpu;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector shapes of the int8 kernels: one 16-bit lane per weight row, so a vector holds a group of {@link #G}
 * rows (32 with AVX-512, 16 with AVX2), and the float and int vectors of the same bit size hold half a group each.
 * The system property {@code hanul.cpu.vectorBits} (128, 256 or 512) lowers the size below what the CPU offers, which
 * is how tests and benchmarks run the AVX2 code path on an AVX-512 machine.
 */
final class Int8Species {

    static final int BITS = bits();
    static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(BITS));
    static final VectorSpecies<Float> FS = VectorSpecies.of(float.class, VectorShape.forBitSize(BITS));
    static final VectorSpecies<Integer> IS = VectorSpecies.of(int.class, VectorShape.forBitSize(BITS));
    /** Rows per group: the lanes of a short vector. */
    static final int G = S.length();
    /** Lanes of a float vector: half a group. */
    static final int H = FS.length();

    private Int8Species() {
    }

    /**
     * The 16-bit lane that holds row {@code rowInGroup} of a group: the first half of the rows in the even lanes, the
     * second half in the odd ones. A short vector read as ints then splits by shifts alone (low halves: even lanes,
     * high halves: odd lanes) into two int vectors that each hold half the rows in order, where widening a short
     * vector's upper half by conversion would cost a shuffle on every use.
     */
    static int lane(int rowInGroup) {
        return rowInGroup < H ? 2 * rowInGroup : 2 * (rowInGroup - H) + 1;
    }

    /** The low 16 bits of each int lane, sign-extended: the even short lanes. */
    static IntVector evenLanes(ShortVector v) {
        return v.reinterpretAsInts().lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16);
    }

    /** The high 16 bits of each int lane, sign-extended: the odd short lanes. */
    static IntVector oddLanes(ShortVector v) {
        return v.reinterpretAsInts().lanewise(VectorOperators.ASHR, 16);
    }

    private static int bits() {
        int preferred = Math.min(512, ShortVector.SPECIES_PREFERRED.vectorBitSize());
        String setting = System.getProperty("hanul.cpu.vectorBits");
        if (setting == null || setting.isBlank()) {
            return preferred;
        }
        int asked = Integer.parseInt(setting.strip());
        if (asked != 128 && asked != 256 && asked != 512) {
            throw new IllegalArgumentException("hanul.cpu.vectorBits must be 128, 256 or 512, got " + asked);
        }
        return Math.min(asked, preferred);
    }
}
