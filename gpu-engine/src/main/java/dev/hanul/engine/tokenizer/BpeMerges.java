package dev.hanul.engine.tokenizer;

import java.util.Arrays;

/**
 * The merge rules of a byte-level BPE vocabulary (tokenizer.ggml.merges, "left right" per line, rank = line index),
 * keyed by the token ids of both sides so that merging never builds strings. An open-addressing table of packed id
 * pairs keeps the lookup free of boxing; it is the innermost operation of BPE.
 */
final class BpeMerges {

    private static final long EMPTY = -1L;

    private final long[] keys;
    private final int[] ranks;
    private final int[] resultOfRank;
    private final int mask;

    private BpeMerges(int capacity, int mergeCount) {
        keys = new long[capacity];
        Arrays.fill(keys, EMPTY);
        ranks = new int[capacity];
        resultOfRank = new int[mergeCount];
        Arrays.fill(resultOfRank, -1);
        mask = capacity - 1;
    }

    /**
     * Reads the merges against the vocabulary. A rule whose sides or result are not tokens is left out: it could only
     * produce a piece that is not a token (llama.cpp would then emit that piece's bytes one by one), and no GGUF
     * converter writes such rules. When a pair appears twice its first rank counts, as in llama.cpp.
     */
    static BpeMerges of(String[] merges, Vocabulary vocabulary) {
        int capacity = Integer.highestOneBit(Math.max(4, merges.length * 2)) << 1;
        BpeMerges table = new BpeMerges(capacity, merges.length);
        for (int rank = 0; rank < merges.length; rank++) {
            String rule = merges[rank];
            int space = rule.indexOf(' ', 1);
            if (space < 0) {
                continue;
            }
            int left = vocabulary.id(rule.substring(0, space));
            int right = vocabulary.id(rule.substring(space + 1));
            int result = vocabulary.id(rule.substring(0, space) + rule.substring(space + 1));
            if (left >= 0 && right >= 0 && result >= 0 && table.putIfAbsent(left, right, rank)) {
                table.resultOfRank[rank] = result;
            }
        }
        return table;
    }

    /** The rank of merging the two tokens, or -1 when no rule joins them (or either id is not a token). */
    int rank(int left, int right) {
        if (left < 0 || right < 0) {
            return -1;
        }
        long key = pack(left, right);
        for (int slot = slot(key); ; slot = (slot + 1) & mask) {
            long k = keys[slot];
            if (k == key) {
                return ranks[slot];
            }
            if (k == EMPTY) {
                return -1;
            }
        }
    }

    /** The token a merge of the given rank produces. */
    int result(int rank) {
        return resultOfRank[rank];
    }

    private boolean putIfAbsent(int left, int right, int rank) {
        long key = pack(left, right);
        int slot = slot(key);
        while (keys[slot] != EMPTY) {
            if (keys[slot] == key) {
                return false;
            }
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        ranks[slot] = rank;
        return true;
    }

    private static long pack(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
