package dev.hanul.engine.sampling.json;

import dev.hanul.engine.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * A vocabulary's tokens as byte strings in sorted order, with the length of the prefix each shares with the one
 * before: walking them in this order, an automaton re-runs only the bytes past the shared prefix, so finding every
 * token allowed from a state costs about one automaton step per token rather than one per byte. Built once per
 * tokenizer and shared (weakly held, so a closed model's index goes with it).
 */
final class VocabularyBytes {

    private static final Map<Tokenizer, VocabularyBytes> BY_TOKENIZER = new WeakHashMap<>();

    final int size;
    /** Each token's bytes by id (empty for tokens that decode to nothing). */
    final byte[][] byId;
    /** Token ids in the byte order of their texts; tokens that decode to nothing are left out. */
    final int[] order;
    final byte[][] bytes;
    final int[] sharedPrefix;
    final int longest;

    private VocabularyBytes(Tokenizer tokenizer) {
        size = tokenizer.vocabularySize();
        byte[][] all = new byte[size][];
        Integer[] ids = new Integer[size];
        int count = 0;
        for (int id = 0; id < size; id++) {
            all[id] = tokenizer.tokenBytes(id);
            if (all[id].length > 0) {
                ids[count++] = id;
            }
        }
        byId = all;
        Integer[] kept = Arrays.copyOf(ids, count);
        Arrays.sort(kept, (a, b) -> Arrays.compareUnsigned(all[a], all[b]));
        order = new int[count];
        bytes = new byte[count][];
        sharedPrefix = new int[count];
        int max = 0;
        for (int i = 0; i < count; i++) {
            order[i] = kept[i];
            bytes[i] = all[kept[i]];
            max = Math.max(max, bytes[i].length);
            if (i > 0) {
                int mismatch = Arrays.mismatch(bytes[i - 1], bytes[i]);
                sharedPrefix[i] = mismatch < 0 ? bytes[i].length : mismatch;
            }
        }
        longest = max;
    }

    static VocabularyBytes of(Tokenizer tokenizer) {
        synchronized (BY_TOKENIZER) {
            return BY_TOKENIZER.computeIfAbsent(tokenizer, VocabularyBytes::new);
        }
    }
}
