package dev.hanul.engine.backend.cpu;

import dev.hanul.engine.backend.AttentionBatch;
import dev.hanul.engine.backend.AttentionOptions;
import dev.hanul.engine.backend.Backend;
import dev.hanul.engine.backend.Buffer;
import dev.hanul.engine.backend.KvStore;
import dev.hanul.engine.backend.Weights;
import dev.hanul.engine.gguf.GgufTensor;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * The pure-Java backend: weights stay quantized in the memory-mapped file, products use the Vector API, and loops
 * are split over a {@link ThreadTeam}.
 */
public final class CpuBackend implements Backend {

    private static final int ROW_GRAIN = 16;
    private static final int SWIGLU_GRAIN = 4096;
    private static final ThreadLocal<float[]> SCORES = ThreadLocal.withInitial(() -> new float[0]);

    /** Tokens per chunk when a batch's activations are quantized in parallel. */
    private static final int QUANTIZE_GRAIN = 8;

    private final ThreadTeam team;
    private final MatmulPrecision precision;
    /** The int8 form of the current matrix input; one at a time (the team runs one loop at a time, too). */
    private final Q8Activations quantized = new Q8Activations();

    /** A backend with the precision of {@link MatmulPrecision#fromSystemProperty()} (float unless set otherwise). */
    public CpuBackend(int threads) {
        this(threads, MatmulPrecision.fromSystemProperty());
    }

    public CpuBackend(int threads, MatmulPrecision precision) {
        this.team = new ThreadTeam(threads);
        this.precision = precision;
    }

    public MatmulPrecision precision() {
        return precision;
    }

    public int threads() {
        return team.threads();
    }

    /**
     * Parallel regions (fork-joins) run so far: loops split over more than one chunk, counted with one thread too.
     * For benchmarks; read it from the thread that runs the forward passes.
     */
    public long parallelRegions() {
        return team.regions();
    }

    @Override
    public String name() {
        return "cpu (%d threads, %d-bit vectors, %s products)".formatted(team.threads(),
                DotKernels.F.vectorBitSize(), precision == MatmulPrecision.INT8
                        ? "int8 (" + Int8Species.BITS + "-bit)" : "float");
    }

    @Override
    public Weights weights(GgufTensor tensor) {
        return CpuMatrix.of(tensor);
    }

    @Override
    public Buffer vector(GgufTensor tensor) {
        CpuMatrix matrix = CpuMatrix.of(tensor);
        float[] values = new float[Math.toIntExact(tensor.elementCount())];
        for (int r = 0; r < matrix.rows(); r++) {
            matrix.dequantizeRow(r, values, r * matrix.columns());
        }
        return new CpuBuffer(values);
    }

    @Override
    public Buffer allocate(int floats) {
        return new CpuBuffer(new float[floats]);
    }

    @Override
    public KvStore allocateKv(int layers, int slots, int kvDim) {
        return CpuKvStore.allocate(layers, slots, kvDim);
    }

    @Override
    public void embed(Weights table, int[] tokens, Buffer out) {
        CpuMatrix matrix = (CpuMatrix) table;
        float[] o = data(out);
        for (int t = 0; t < tokens.length; t++) {
            matrix.dequantizeRow(tokens[t], o, t * matrix.columns());
        }
    }

    @Override
    public void matmul(Weights w, Buffer x, Buffer out, int tokens) {
        matmuls(new Weights[] {w}, x, new Buffer[] {out}, tokens);
    }

    /**
     * All products in one parallel region: the work units of every matrix (row groups for int8 products, rows
     * otherwise) are numbered one after the other and split over the team together.
     */
    @Override
    public void matmuls(Weights[] w, Buffer x, Buffer[] out, int tokens) {
        CpuMatrix[] matrices = new CpuMatrix[w.length];
        PackedRows[] packed = new PackedRows[w.length];
        int[] firstUnit = new int[w.length + 1];
        boolean int8 = true;
        for (int i = 0; i < w.length; i++) {
            matrices[i] = (CpuMatrix) w[i];
            packed[i] = packed(matrices[i]);
            int8 &= packed[i] != null;
        }
        for (int i = 0; i < w.length; i++) {
            firstUnit[i + 1] = firstUnit[i] + (int8 ? packed[i].groups() : matrices[i].rows());
        }
        float[] in = data(x);
        if (int8) {
            quantize(in, tokens, matrices[0].columns());
        }
        boolean useInt8 = int8;
        team.forRange(firstUnit[w.length], useInt8 ? 1 : ROW_GRAIN, (start, end) -> {
            for (int i = 0; i < matrices.length; i++) {
                int from = Math.max(start, firstUnit[i]) - firstUnit[i];
                int to = Math.min(end, firstUnit[i + 1]) - firstUnit[i];
                if (from < to) {
                    if (useInt8) {
                        packed[i].multiply(quantized, data(out[i]), from, to);
                    } else {
                        matrices[i].multiply(in, data(out[i]), tokens, from, to);
                    }
                }
            }
        });
    }

    /** Gate and up products and SwiGLU in one parallel region, each unit of rows finished where it was computed. */
    @Override
    public void swigluMatmul(Weights gate, Weights up, Buffer x, Buffer gateOut, Buffer upOut, int tokens) {
        CpuMatrix gateMatrix = (CpuMatrix) gate;
        CpuMatrix upMatrix = (CpuMatrix) up;
        PackedRows packedGate = packed(gateMatrix);
        PackedRows packedUp = packed(upMatrix);
        float[] in = data(x);
        float[] g = data(gateOut);
        float[] u = data(upOut);
        int rows = gateMatrix.rows();
        if (packedGate != null && packedUp != null) {
            quantize(in, tokens, gateMatrix.columns());
            team.forRange(packedGate.groups(), 1, (start, end) -> {
                packedGate.multiply(quantized, g, start, end);
                packedUp.multiply(quantized, u, start, end);
                swiglu(g, u, tokens, rows, start * Int8Species.G, Math.min(rows, end * Int8Species.G));
            });
        } else {
            team.forRange(rows, ROW_GRAIN, (start, end) -> {
                gateMatrix.multiply(in, g, tokens, start, end);
                upMatrix.multiply(in, u, tokens, start, end);
                swiglu(g, u, tokens, rows, start, end);
            });
        }
    }

    private PackedRows packed(CpuMatrix matrix) {
        return precision == MatmulPrecision.INT8 ? matrix.packed() : null;
    }

    private void quantize(float[] in, int tokens, int columns) {
        quantized.reset(tokens, columns);
        if (tokens < 2 * QUANTIZE_GRAIN) {
            quantized.quantize(in, 0, tokens);
        } else {
            team.forRange(tokens, QUANTIZE_GRAIN, (start, end) -> quantized.quantize(in, start, end));
        }
    }

    /** SwiGLU on rows {@code [from, to)} of every token ({@code rows} per token). */
    private static void swiglu(float[] g, float[] u, int tokens, int rows, int from, int to) {
        for (int t = 0; t < tokens; t++) {
            for (int i = t * rows + from, end = t * rows + to; i < end; i++) {
                float x = g[i];
                g[i] = x / (1f + (float) Math.exp(-x)) * u[i];
            }
        }
    }

    @Override
    public void rmsNorm(Buffer x, Buffer gain, Buffer out, int tokens, int width, float eps) {
        float[] in = data(x);
        float[] g = data(gain);
        float[] o = data(out);
        for (int t = 0; t < tokens; t++) {
            int base = t * width;
            float sumSquares = DotKernels.dot(in, base, in, base, width);
            float scale = (float) (1.0 / Math.sqrt(sumSquares / width + eps));
            for (int i = 0; i < width; i++) {
                o[base + i] = in[base + i] * scale * g[i];
            }
        }
    }

    @Override
    public void rope(Buffer x, int tokens, int heads, int headDim, int rotaryDim, int[] positions,
                     float[] inverseFrequencies) {
        float[] v = data(x);
        int pairs = rotaryDim / 2;
        team.forRange(tokens, 1, (start, end) -> {
            float[] cos = new float[pairs];
            float[] sin = new float[pairs];
            for (int t = start; t < end; t++) {
                for (int i = 0; i < pairs; i++) {
                    double angle = positions[t] * (double) inverseFrequencies[i];
                    cos[i] = (float) Math.cos(angle);
                    sin[i] = (float) Math.sin(angle);
                }
                for (int h = 0; h < heads; h++) {
                    int base = (t * heads + h) * headDim;
                    for (int i = 0; i < pairs; i++) {
                        float a = v[base + 2 * i];
                        float b = v[base + 2 * i + 1];
                        v[base + 2 * i] = a * cos[i] - b * sin[i];
                        v[base + 2 * i + 1] = a * sin[i] + b * cos[i];
                    }
                }
            }
        });
    }

    @Override
    public void storeKv(KvStore kv, int layer, Buffer k, Buffer v, AttentionBatch batch) {
        CpuKvStore store = (CpuKvStore) kv;
        int kvDim = store.kvDim();
        for (int t = 0; t < batch.tokens(); t++) {
            int slot = batch.slots()[t];
            System.arraycopy(data(k), t * kvDim, store.keys()[layer], slot * kvDim, kvDim);
            System.arraycopy(data(v), t * kvDim, store.values()[layer], slot * kvDim, kvDim);
        }
    }

    @Override
    public void copySlots(KvStore kv, int from, int to, int count) {
        CpuKvStore store = (CpuKvStore) kv;
        int kvDim = store.kvDim();
        for (int layer = 0; layer < store.layers(); layer++) {
            System.arraycopy(store.keys()[layer], from * kvDim, store.keys()[layer], to * kvDim, count * kvDim);
            System.arraycopy(store.values()[layer], from * kvDim, store.values()[layer], to * kvDim, count * kvDim);
        }
    }

    @Override
    public void attention(KvStore kv, int layer, Buffer q, Buffer out, AttentionBatch batch, int heads,
                          int kvHeads, int headDim) {
        CpuKvStore store = (CpuKvStore) kv;
        float[] keys = store.keys()[layer];
        float[] values = store.values()[layer];
        float[] query = data(q);
        float[] o = data(out);
        int kvDim = store.kvDim();
        int group = heads / kvHeads;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        team.forRange(batch.tokens() * heads, 1, (start, end) -> {
            int[] keyOffsets = new int[8];
            float[] lanes = new float[8 * DotKernels.L];
            for (int work = start; work < end; work++) {
                int t = work / heads;
                int h = work % heads;
                int length = batch.positions()[t] + 1;
                float[] scores = scores(length);
                int qBase = (t * heads + h) * headDim;
                int kvOffset = (h / group) * headDim;
                // Scores eight positions at a time, so their lane sums share the work.
                for (int p = 0; p < length; p += 8) {
                    int count = Math.min(8, length - p);
                    for (int j = 0; j < count; j++) {
                        keyOffsets[j] = batch.slotOf(t, p + j) * kvDim + kvOffset;
                    }
                    DotKernels.dots(query, qBase, keys, keyOffsets, count, headDim, scores, p, lanes);
                }
                float max = Float.NEGATIVE_INFINITY;
                for (int p = 0; p < length; p++) {
                    scores[p] *= scale;
                    max = Math.max(max, scores[p]);
                }
                float sum = 0;
                for (int p = 0; p < length; p++) {
                    scores[p] = (float) Math.exp(scores[p] - max);
                    sum += scores[p];
                }
                Arrays.fill(o, qBase, qBase + headDim, 0f);
                for (int p = 0; p < length; p++) {
                    accumulate(o, qBase, values, batch.slotOf(t, p) * kvDim + kvOffset, scores[p] / sum, headDim);
                }
            }
        });
    }

    private static void accumulate(float[] into, int intoOffset, float[] x, int xOffset, float weight, int length) {
        var f = DotKernels.F;
        int i = 0;
        for (int upper = f.loopBound(length); i < upper; i += f.length()) {
            FloatVector.fromArray(f, x, xOffset + i)
                    .fma(FloatVector.broadcast(f, weight), FloatVector.fromArray(f, into, intoOffset + i))
                    .intoArray(into, intoOffset + i);
        }
        for (; i < length; i++) {
            into[intoOffset + i] += weight * x[xOffset + i];
        }
    }

    private static float[] scores(int length) {
        float[] scores = SCORES.get();
        if (scores.length < length) {
            scores = new float[Math.max(length, 2 * scores.length)];
            SCORES.set(scores);
        }
        return scores;
    }

    @Override
    public void swiglu(Buffer gate, Buffer up, int count) {
        float[] g = data(gate);
        float[] u = data(up);
        // Elementwise, so splitting it over threads changes no result: batches of tokens are worth spreading.
        team.forRange(count, SWIGLU_GRAIN, (start, end) -> {
            for (int i = start; i < end; i++) {
                float x = g[i];
                g[i] = x / (1f + (float) Math.exp(-x)) * u[i];
            }
        });
    }

    @Override
    public void add(Buffer into, Buffer x, int count) {
        float[] a = data(into);
        float[] b = data(x);
        var f = DotKernels.F;
        int i = 0;
        for (int upper = f.loopBound(count); i < upper; i += f.length()) {
            FloatVector.fromArray(f, a, i).add(FloatVector.fromArray(f, b, i)).intoArray(a, i);
        }
        for (; i < count; i++) {
            a[i] += b[i];
        }
    }

    @Override
    public void copyRow(Buffer from, int row, Buffer to, int toRow, int width) {
        System.arraycopy(data(from), row * width, data(to), toRow * width, width);
    }

    @Override
    public void read(Buffer from, float[] into, int count) {
        System.arraycopy(data(from), 0, into, 0, count);
    }

    @Override
    public void attention(KvStore kv, int layer, Buffer q, Buffer out, AttentionBatch batch, int heads,
                          int kvHeads, int headDim, AttentionOptions options) {
        CpuKvStore store = (CpuKvStore) kv;
        float[] keys = store.keys()[layer];
        float[] values = store.values()[layer];
        float[] query = data(q);
        float[] o = data(out);
        int kvDim = store.kvDim();
        int group = heads / kvHeads;
        float scale = options.scale();
        float cap = options.softCap();
        team.forRange(batch.tokens() * heads, 1, (start, end) -> {
            int[] keyOffsets = new int[8];
            float[] lanes = new float[8 * DotKernels.L];
            for (int work = start; work < end; work++) {
                int t = work / heads;
                int h = work % heads;
                int position = batch.positions()[t];
                int first = options.firstVisible(position);
                int length = position + 1 - first;
                float[] scores = scores(length);
                int qBase = (t * heads + h) * headDim;
                int kvOffset = (h / group) * headDim;
                for (int p = 0; p < length; p += 8) {
                    int count = Math.min(8, length - p);
                    for (int j = 0; j < count; j++) {
                        keyOffsets[j] = batch.slotOf(t, first + p + j) * kvDim + kvOffset;
                    }
                    DotKernels.dots(query, qBase, keys, keyOffsets, count, headDim, scores, p, lanes);
                }
                float max = Float.NEGATIVE_INFINITY;
                for (int p = 0; p < length; p++) {
                    float score = scores[p] * scale;
                    scores[p] = cap > 0 ? cap * (float) Math.tanh(score / cap) : score;
                    max = Math.max(max, scores[p]);
                }
                float sum = 0;
                for (int p = 0; p < length; p++) {
                    scores[p] = (float) Math.exp(scores[p] - max);
                    sum += scores[p];
                }
                Arrays.fill(o, qBase, qBase + headDim, 0f);
                for (int p = 0; p < length; p++) {
                    accumulate(o, qBase, values, batch.slotOf(t, first + p) * kvDim + kvOffset, scores[p] / sum,
                            headDim);
                }
            }
        });
    }

    @Override
    public void ropeNeox(Buffer x, int tokens, int heads, int headDim, int rotaryDim, int[] positions,
                         float[] inverseFrequencies, float magnitude) {
        float[] v = data(x);
        int half = rotaryDim / 2;
        team.forRange(tokens, 1, (start, end) -> {
            float[] cos = new float[half];
            float[] sin = new float[half];
            for (int t = start; t < end; t++) {
                for (int i = 0; i < half; i++) {
                    double angle = positions[t] * (double) inverseFrequencies[i];
                    cos[i] = (float) (Math.cos(angle) * magnitude);
                    sin[i] = (float) (Math.sin(angle) * magnitude);
                }
                for (int h = 0; h < heads; h++) {
                    int base = (t * heads + h) * headDim;
                    for (int i = 0; i < half; i++) {
                        float a = v[base + i];
                        float b = v[base + i + half];
                        v[base + i] = a * cos[i] - b * sin[i];
                        v[base + i + half] = a * sin[i] + b * cos[i];
                    }
                }
            }
        });
    }

    @Override
    public void addBias(Buffer x, Buffer bias, int tokens, int width) {
        float[] v = data(x);
        float[] b = data(bias);
        for (int t = 0; t < tokens; t++) {
            int base = t * width;
            for (int i = 0; i < width; i++) {
                v[base + i] += b[i];
            }
        }
    }

    @Override
    public void scale(Buffer x, float factor, int count) {
        float[] v = data(x);
        for (int i = 0; i < count; i++) {
            v[i] *= factor;
        }
    }

    @Override
    public void geglu(Buffer gate, Buffer up, int count) {
        float[] g = data(gate);
        float[] u = data(up);
        team.forRange(count, SWIGLU_GRAIN, (start, end) -> {
            for (int i = start; i < end; i++) {
                g[i] = Activation.geluTanh(g[i]) * u[i];
            }
        });
    }

    @Override
    public void close() {
        team.close();
    }

    private static float[] data(Buffer buffer) {
        return ((CpuBuffer) buffer).data();
    }
}
