package dev.hanul.index.bench;

import org.apache.lucene.util.VectorUtil;

import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.IntPredicate;

/**
 * Seeded synthetic embeddings: unit vectors scattered around random cluster centres, which is how sentence
 * embeddings sit (topics), unlike uniform noise where every neighbour is about as far as any other.
 */
final class ClusteredVectors {

    /** Per-dimension noise around a centre; gives noise of about 0.7 times the centre's length at 384 dimensions. */
    private static final double SPREAD = 0.035;

    private final float[][] centres;
    private final Random random;

    ClusteredVectors(int clusters, int dimension, long seed) {
        random = new Random(seed);
        centres = new float[clusters][];
        for (int c = 0; c < clusters; c++) {
            centres[c] = gaussian(dimension, 1);
            VectorUtil.l2normalize(centres[c]);
        }
    }

    float[] next() {
        float[] centre = centres[random.nextInt(centres.length)];
        float[] vector = gaussian(centre.length, SPREAD);
        for (int i = 0; i < vector.length; i++) {
            vector[i] += centre[i];
        }
        return VectorUtil.l2normalize(vector);
    }

    /** Ids of the k base vectors with the highest dot product (= cosine, vectors being unit) among those accepted. */
    static int[] exactNearest(float[][] base, float[] query, int k, IntPredicate accept) {
        var best = new PriorityQueue<float[]>(k + 1, (a, b) -> Float.compare(a[0], b[0]));
        for (int i = 0; i < base.length; i++) {
            if (accept.test(i)) {
                best.add(new float[] {VectorUtil.dotProduct(base[i], query), i});
                if (best.size() > k) {
                    best.poll();
                }
            }
        }
        int[] ids = new int[best.size()];
        for (int i = ids.length - 1; i >= 0; i--) {
            ids[i] = (int) best.poll()[1];
        }
        return ids;
    }

    private float[] gaussian(int dimension, double sigma) {
        float[] vector = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            vector[i] = (float) (random.nextGaussian() * sigma);
        }
        return vector;
    }
}
