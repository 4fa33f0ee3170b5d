package dev.hanul.engine.kv;

import java.util.Arrays;

/**
 * The blocks of one sequence, in order: position {@code p} lives in slot
 * {@code block(p / blockSize) * blockSize + p % blockSize}. Also remembers how far the sequence's full blocks have
 * been hashed for the prefix cache, so each block is hashed once. Changed only by {@link BlockManager}.
 */
public final class BlockTable {

    private int[] blocks = new int[4];
    private int size;
    private int hashedBlocks;
    private final long root;
    private long lastHash;

    /** A table whose prefix-cache hash chain starts at the base model's root. */
    public BlockTable() {
        this(BlockHash.ROOT);
    }

    /**
     * A table whose hash chain starts at {@code root}: sequences whose keys and values are computed differently for
     * the same tokens (under a LoRA adapter) use a root of their own, so they never share cached blocks.
     */
    public BlockTable(long root) {
        this.root = root;
        this.lastHash = root;
    }

    public int size() {
        return size;
    }

    public int block(int index) {
        if (index >= size) {
            throw new IndexOutOfBoundsException("block " + index + " of a table of " + size);
        }
        return blocks[index];
    }

    /** A copy of the block ids, as an attention batch wants them. */
    public int[] toArray() {
        return Arrays.copyOf(blocks, size);
    }

    void add(int block) {
        if (size == blocks.length) {
            blocks = Arrays.copyOf(blocks, 2 * size);
        }
        blocks[size++] = block;
    }

    void set(int index, int block) {
        blocks[index] = block;
    }

    int hashedBlocks() {
        return hashedBlocks;
    }

    long lastHash() {
        return lastHash;
    }

    void hashed(long hash) {
        hashedBlocks++;
        lastHash = hash;
    }

    void clear() {
        size = 0;
        hashedBlocks = 0;
        lastHash = root;
    }

    BlockTable copy() {
        BlockTable copy = new BlockTable(root);
        copy.blocks = Arrays.copyOf(blocks, Math.max(4, size));
        copy.size = size;
        copy.hashedBlocks = hashedBlocks;
        copy.lastHash = lastHash;
        return copy;
    }
}
