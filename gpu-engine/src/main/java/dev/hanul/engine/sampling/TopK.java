package dev.hanul.engine.sampling;

/**
 * The k largest of many values without sorting them all: a min-heap of the best k seen so far, O(n log k). Sampling
 * with top-k and reporting top logprobs both need it on every token, over vocabularies of 50,000 to 150,000.
 */
final class TopK {

    private TopK() {
    }

    /**
     * Writes the indices (relative to {@code offset}) of the {@code k} largest of {@code values[offset ..
     * offset + count)} into {@code into[0 .. k)}, largest first; ties go to the lower index. Returns k, or count when
     * that is smaller.
     */
    static int largest(float[] values, int offset, int count, int k, int[] into) {
        k = Math.min(k, count);
        if (k <= 0) {
            return 0;
        }
        int size = 0;
        for (int i = 0; i < count; i++) {
            if (size < k) {
                into[size] = i;
                siftUp(values, offset, into, size++);
            } else if (better(values, offset, i, into[0])) {
                into[0] = i;
                siftDown(values, offset, into, 0, k);
            }
        }
        // Heap sort in place: repeatedly move the worst to the end, leaving the best first.
        for (int end = k - 1; end > 0; end--) {
            int worst = into[0];
            into[0] = into[end];
            into[end] = worst;
            siftDown(values, offset, into, 0, end);
        }
        return k;
    }

    /** Whether index a ranks above index b: larger value, then lower index. */
    private static boolean better(float[] values, int offset, int a, int b) {
        float va = values[offset + a];
        float vb = values[offset + b];
        return va > vb || (va == vb && a < b);
    }

    private static void siftUp(float[] values, int offset, int[] heap, int at) {
        while (at > 0) {
            int parent = (at - 1) / 2;
            if (!better(values, offset, heap[parent], heap[at])) {
                return;
            }
            swap(heap, parent, at);
            at = parent;
        }
    }

    private static void siftDown(float[] values, int offset, int[] heap, int at, int size) {
        while (true) {
            int worst = at;
            int left = 2 * at + 1;
            int right = left + 1;
            if (left < size && better(values, offset, heap[worst], heap[left])) {
                worst = left;
            }
            if (right < size && better(values, offset, heap[worst], heap[right])) {
                worst = right;
            }
            if (worst == at) {
                return;
            }
            swap(heap, at, worst);
            at = worst;
        }
    }

    private static void swap(int[] heap, int i, int j) {
        int t = heap[i];
        heap[i] = heap[j];
        heap[j] = t;
    }
}
