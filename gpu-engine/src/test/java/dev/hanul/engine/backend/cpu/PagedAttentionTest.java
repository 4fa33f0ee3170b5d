package dev.hanul.engine.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hanul.engine.backend.AttentionBatch;
import dev.hanul.engine.backend.Buffer;
import dev.hanul.engine.backend.KvStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The CPU attention reads keys and values through block tables: with the blocks of several sequences scattered at
 * random over the pool it must give what a plain contiguous attention, written here in doubles, gives.
 */
class PagedAttentionTest {

    private static final int BLOCK = 16;
    private static final int HEADS = 8;
    private static final int KV_HEADS = 2;
    private static final int HEAD_DIM = 16;
    private static final int KV_DIM = KV_HEADS * HEAD_DIM;
    private static final CpuBackend CPU = new CpuBackend(2);

    @AfterAll
    static void close() {
        CPU.close();
    }

    @Test
    void scatteredBlockTablesGiveTheContiguousAttention() {
        SplittableRandom random = new SplittableRandom(17);
        for (int trial = 0; trial < 20; trial++) {
            int sequences = 1 + random.nextInt(6);
            int[] lengths = random.ints(sequences, 1, 150).toArray();
            int blocksNeeded = 0;
            for (int length : lengths) {
                blocksNeeded += (length + BLOCK - 1) / BLOCK;
            }
            int poolBlocks = blocksNeeded + random.nextInt(20);
            List<Integer> pool = new ArrayList<>();
            for (int b = 0; b < poolBlocks; b++) {
                pool.add(b);
            }
            Collections.shuffle(pool, new Random(random.nextLong()));

            // keys/values per sequence and position, and the block tables that scatter them
            float[][][] keys = new float[sequences][][];
            float[][][] values = new float[sequences][][];
            int[][] tables = new int[sequences][];
            KvStore kv = CPU.allocateKv(1, poolBlocks * BLOCK, KV_DIM);
            CpuKvStore store = (CpuKvStore) kv;
            int next = 0;
            for (int s = 0; s < sequences; s++) {
                tables[s] = new int[(lengths[s] + BLOCK - 1) / BLOCK];
                for (int b = 0; b < tables[s].length; b++) {
                    tables[s][b] = pool.get(next++);
                }
                keys[s] = gaussian(random, lengths[s], KV_DIM);
                values[s] = gaussian(random, lengths[s], KV_DIM);
                for (int p = 0; p < lengths[s]; p++) {
                    int slot = tables[s][p / BLOCK] * BLOCK + p % BLOCK;
                    System.arraycopy(keys[s][p], 0, store.keys()[0], slot * KV_DIM, KV_DIM);
                    System.arraycopy(values[s][p], 0, store.values()[0], slot * KV_DIM, KV_DIM);
                }
            }
            // one query token per sequence at a random position, plus the last position
            List<int[]> tokens = new ArrayList<>(); // {sequence, position}
            for (int s = 0; s < sequences; s++) {
                tokens.add(new int[] {s, lengths[s] - 1});
                tokens.add(new int[] {s, random.nextInt(lengths[s])});
            }
            int n = tokens.size();
            int[] positions = new int[n];
            int[] slots = new int[n];
            int[] sequenceOf = new int[n];
            for (int t = 0; t < n; t++) {
                int s = tokens.get(t)[0];
                positions[t] = tokens.get(t)[1];
                sequenceOf[t] = s;
                slots[t] = tables[s][positions[t] / BLOCK] * BLOCK + positions[t] % BLOCK;
            }
            float[] query = new float[n * HEADS * HEAD_DIM];
            for (int i = 0; i < query.length; i++) {
                query[i] = (float) random.nextGaussian();
            }
            Buffer out = CPU.allocate(query.length);
            CPU.attention(kv, 0, new CpuBuffer(query.clone()), out,
                    new AttentionBatch(positions, slots, sequenceOf, tables, BLOCK), HEADS, KV_HEADS, HEAD_DIM);
            float[] actual = new float[query.length];
            CPU.read(out, actual, actual.length);
            for (int t = 0; t < n; t++) {
                int s = sequenceOf[t];
                float[] expected = reference(query, t, keys[s], values[s], positions[t]);
                for (int i = 0; i < expected.length; i++) {
                    assertThat(actual[t * HEADS * HEAD_DIM + i]).as("trial %d token %d feature %d", trial, t, i)
                            .isCloseTo(expected[i], within(1e-5f));
                }
            }
        }
    }

    @Test
    void copySlotsCopiesKeysAndValuesOfEveryLayer() {
        KvStore kv = CPU.allocateKv(3, 4 * BLOCK, KV_DIM);
        CpuKvStore store = (CpuKvStore) kv;
        SplittableRandom random = new SplittableRandom(3);
        for (int layer = 0; layer < 3; layer++) {
            for (int i = 0; i < BLOCK * KV_DIM; i++) {
                store.keys()[layer][BLOCK * KV_DIM + i] = (float) random.nextGaussian();
                store.values()[layer][BLOCK * KV_DIM + i] = (float) random.nextGaussian();
            }
        }
        CPU.copySlots(kv, BLOCK, 3 * BLOCK, BLOCK);
        for (int layer = 0; layer < 3; layer++) {
            for (int i = 0; i < BLOCK * KV_DIM; i++) {
                assertThat(store.keys()[layer][3 * BLOCK * KV_DIM + i])
                        .isEqualTo(store.keys()[layer][BLOCK * KV_DIM + i]);
                assertThat(store.values()[layer][3 * BLOCK * KV_DIM + i])
                        .isEqualTo(store.values()[layer][BLOCK * KV_DIM + i]);
            }
        }
    }

    /** Causal GQA attention of token t over positions 0..position, in doubles, from contiguous arrays. */
    private static float[] reference(float[] query, int t, float[][] keys, float[][] values, int position) {
        float[] out = new float[HEADS * HEAD_DIM];
        int group = HEADS / KV_HEADS;
        for (int h = 0; h < HEADS; h++) {
            int q = (t * HEADS + h) * HEAD_DIM;
            int kv = (h / group) * HEAD_DIM;
            double[] scores = new double[position + 1];
            double max = Double.NEGATIVE_INFINITY;
            for (int p = 0; p <= position; p++) {
                double dot = 0;
                for (int i = 0; i < HEAD_DIM; i++) {
                    dot += (double) query[q + i] * keys[p][kv + i];
                }
                scores[p] = dot / Math.sqrt(HEAD_DIM);
                max = Math.max(max, scores[p]);
            }
            double sum = 0;
            for (int p = 0; p <= position; p++) {
                scores[p] = Math.exp(scores[p] - max);
                sum += scores[p];
            }
            for (int i = 0; i < HEAD_DIM; i++) {
                double acc = 0;
                for (int p = 0; p <= position; p++) {
                    acc += scores[p] / sum * values[p][kv + i];
                }
                out[h * HEAD_DIM + i] = (float) acc;
            }
        }
        return out;
    }

    private static float[][] gaussian(SplittableRandom random, int rows, int columns) {
        float[][] m = new float[rows][columns];
        for (float[] row : m) {
            for (int i = 0; i < columns; i++) {
                row[i] = (float) random.nextGaussian();
            }
        }
        return m;
    }
}
