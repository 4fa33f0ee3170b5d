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
    private long lastHash = BlockHash.ROOT;

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
        lastHash = BlockHash.ROOT;
    }

    BlockTable copy() {
        BlockTable copy = new BlockTable();
        copy.blocks = Arrays.copyOf(blocks, Math.max(4, size));
        copy.size = size;
        copy.hashedBlocks = hashedBlocks;
        copy.lastHash = lastHash;
        return copy;
    }
}
