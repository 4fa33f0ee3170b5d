package dev.hanul.engine.backend.cpu;

import dev.hanul.engine.gguf.GgmlType;
import dev.hanul.engine.gguf.GgufTensor;
import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One thread, one matrix, many repetitions: the matrix-times-activations kernels of the CPU backend in isolation, as
 * GFLOP/s (two operations per weight and token) and the weight bytes read per second, for the float path and the
 * int8 path side by side, so that a kernel short of the machine's limits shows.
 */
public final class KernelBenchmark {

    /** One kernel on one shape. */
    public record Result(GgmlType type, int rows, int columns, int tokens, String path, double seconds,
                         long weightBytes) {

        public double gflops() {
            return 2.0 * rows * columns * tokens / seconds / 1e9;
        }

        public double gigabytesPerSecond() {
            return weightBytes / seconds / 1e9;
        }
    }

    private KernelBenchmark() {
    }

    /** Measures each type on {@code rows x columns} with each token count, about {@code seconds} per kernel. */
    public static List<Result> run(List<GgmlType> types, int rows, int columns, int[] tokenCounts, double seconds) {
        List<Result> results = new ArrayList<>();
        for (GgmlType type : types) {
            CpuMatrix matrix = random(type, rows, columns);
            for (int tokens : tokenCounts) {
                float[] x = new float[tokens * columns];
                SplittableRandom random = new SplittableRandom(tokens);
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) random.nextDouble(-1, 1);
                }
                float[] out = new float[tokens * rows];
                results.add(new Result(type, rows, columns, tokens, "float",
                        time(() -> matrix.multiply(x, out, tokens, 0, rows), seconds), matrix.byteSize()));
                PackedRows packed = matrix.packed();
                if (packed != null) {
                    Q8Activations q = new Q8Activations();
                    results.add(new Result(type, rows, columns, tokens, "int8", time(() -> {
                        q.reset(tokens, columns);
                        q.quantize(x, 0, tokens);
                        packed.multiply(q, out, 0, packed.groups());
                    }, seconds), matrix.byteSize()));
                }
            }
        }
        return results;
    }

    public static void print(List<Result> results, PrintWriter out) {
        out.printf("Kernels on one thread, %d-bit float vectors, int8 kernels on %d-bit vectors%n%n",
                DotKernels.F.vectorBitSize(), Int8Species.BITS);
        out.println("| type | rows x columns | tokens | path | µs per call | GFLOP/s | weight GB/s |");
        out.println("|---|---|---|---|---|---|---|");
        for (Result r : results) {
            out.printf("| %s | %d x %d | %d | %s | %.1f | %.1f | %.1f |%n", r.type(), r.rows(), r.columns(),
                    r.tokens(), r.path(), r.seconds() * 1e6, r.gflops(), r.gigabytesPerSecond());
        }
        out.flush();
    }

    /**
     * Seconds per call: the best of five rounds, after a warm-up of at least 2 seconds and 500 calls (at most 20
     * seconds), then rounds until one is no faster than the one before. The int8 kernels run a loop per row group,
     * and C2 compiles such a loop only after thousands of calls, the Vector API's ops running as slow library code
     * until then; on a shared machine the compiler threads also wait for a core.
     */
    private static double time(Runnable kernel, double seconds) {
        long calls = 0;
        long start = System.nanoTime();
        while ((System.nanoTime() - start < 2e9 || calls < 500) && System.nanoTime() - start < 20e9) {
            kernel.run();
            calls++;
        }
        long perRound = Math.max(1, (long) (calls * seconds * 0.2e9 / (System.nanoTime() - start)));
        double previous = round(kernel, perRound);
        for (int i = 0; i < 20; i++) {
            double current = round(kernel, perRound);
            if (current > previous * 0.97) {
                break;
            }
            previous = current;
        }
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            best = Math.min(best, round(kernel, perRound));
        }
        return best;
    }

    private static double round(Runnable kernel, long calls) {
        long t0 = System.nanoTime();
        for (long i = 0; i < calls; i++) {
            kernel.run();
        }
        return (System.nanoTime() - t0) / 1e9 / calls;
    }

    private static CpuMatrix random(GgmlType type, int rows, int columns) {
        SplittableRandom random = new SplittableRandom(rows * 31L + columns);
        byte[] bytes = new byte[Math.toIntExact(type.bytesFor((long) rows * columns))];
        random.nextBytes(bytes);
        // Valid small f16 scales (and Q4_1 minimums) where each block keeps them, so no block holds NaN or infinity.
        int blockBytes = type.blockBytes();
        int scales = type == GgmlType.Q4_1 ? 2 : 1;
        if (type == GgmlType.Q8_0 || type == GgmlType.Q4_0 || type == GgmlType.Q4_1) {
            for (int b = 0; b < bytes.length; b += blockBytes) {
                for (int s = 0; s < scales; s++) {
                    f16(bytes, b + 2 * s, random.nextDouble(-0.05, 0.05));
                }
            }
        } else if (type.blockSize() == 256) {
            // K-quants: the super-block's d (and dmin), at its start or (Q6_K) its end.
            int superBytes = Math.toIntExact(type.bytesFor(256));
            for (int b = 0; b < bytes.length; b += superBytes) {
                if (type == GgmlType.Q6_K) {
                    f16(bytes, b + 208, random.nextDouble(0.0002, 0.002));
                } else {
                    f16(bytes, b, random.nextDouble(0.0002, 0.002));
                    f16(bytes, b + 2, random.nextDouble(0.0002, 0.002));
                }
            }
        }
        return CpuMatrix.of(new GgufTensor(type.name(), type, new long[] {columns, rows},
                MemorySegment.ofArray(bytes)));
    }

    private static void f16(byte[] bytes, int at, double value) {
        short h = Float.floatToFloat16((float) value);
        bytes[at] = (byte) h;
        bytes[at + 1] = (byte) (h >> 8);
    }

    public static void main(String[] args) {
        List<GgmlType> types = List.of(GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q4_K, GgmlType.Q5_K,
                GgmlType.Q6_K);
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1536;
        int columns = args.length > 1 ? Integer.parseInt(args[1]) : 576;
        print(run(types, rows, columns, new int[] {1, 2, 16}, 1.0), new PrintWriter(System.out));
    }
}
