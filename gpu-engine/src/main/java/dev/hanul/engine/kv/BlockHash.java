package dev.hanul.engine.kv;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The identity of a full block in the prefix cache: the first 64 bits of SHA-256 over the parent block's hash and
 * this block's token ids. Chaining the parent makes a block's hash stand for the whole prefix up to its end, so two
 * sequences share a block only when everything before it matches too. A strong hash keeps accidental collisions
 * out of reach; the cache still compares token ids and parent hashes on every hit. Not thread-safe: one per
 * {@link BlockManager}.
 */
final class BlockHash {

    /** The parent hash of a sequence's first block. */
    static final long ROOT = 0x6a09e667f3bcc908L;

    private final MessageDigest sha256;
    private final byte[] buffer;

    BlockHash(int blockSize) {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
        buffer = new byte[8 + 4 * blockSize];
    }

    long of(long parent, int[] tokens, int from, int count) {
        putLong(buffer, 0, parent);
        for (int i = 0; i < count; i++) {
            putInt(buffer, 8 + 4 * i, tokens[from + i]);
        }
        sha256.update(buffer, 0, 8 + 4 * count);
        byte[] digest = sha256.digest();
        long hash = 0;
        for (int i = 0; i < 8; i++) {
            hash = hash << 8 | (digest[i] & 0xFF);
        }
        return hash;
    }

    private static void putLong(byte[] into, int at, long value) {
        putInt(into, at, (int) (value >>> 32));
        putInt(into, at + 4, (int) value);
    }

    private static void putInt(byte[] into, int at, int value) {
        into[at] = (byte) (value >>> 24);
        into[at + 1] = (byte) (value >>> 16);
        into[at + 2] = (byte) (value >>> 8);
        into[at + 3] = (byte) value;
    }
}
