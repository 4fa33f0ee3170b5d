package dev.hanul.engine.kv;

/**
 * One block of the pool: {@code blockSize} consecutive KV slots starting at {@code id * blockSize}. A block is
 * referenced by the block tables that use it; a full block may also be in the prefix cache (then it carries its
 * hash, its parent's hash and its token ids, which a hit must match), where it stays after its last reference is
 * gone until the pool needs it back.
 */
final class KvBlock {

    final int id;
    int references;
    boolean cached;
    long hash;
    long parentHash;
    int[] tokens;

    KvBlock(int id) {
        this.id = id;
    }

    void forget() {
        cached = false;
        tokens = null;
    }
}
