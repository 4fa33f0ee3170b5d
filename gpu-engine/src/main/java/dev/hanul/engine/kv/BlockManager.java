package dev.hanul.engine.kv;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The paged KV cache's bookkeeping: a fixed pool of blocks of {@code blockSize} tokens, handed to sequences' block
 * tables and counted by reference. A full block is also entered in the prefix cache under its {@link BlockHash}, so
 * a later sequence that starts with the same tokens reuses it instead of computing it again. Blocks whose last
 * reference is gone keep their cached contents and are evicted least recently released first, only when no block
 * is free. Sequences forked for parallel sampling share every block; the first write into a shared block copies it
 * (the copy is returned to the caller, which performs it on the backend before the step).
 *
 * <p>Not thread-safe: the engine's step thread owns it.
 */
public final class BlockManager {

    private final int blockSize;
    private final KvBlock[] blocks;
    /** Unreferenced blocks with nothing worth keeping; reused most recent first (their memory is warm). */
    private final ArrayDeque<KvBlock> free = new ArrayDeque<>();
    /** Unreferenced blocks still in the prefix cache, least recently released first. */
    private final LinkedHashSet<KvBlock> evictable = new LinkedHashSet<>();
    private final Map<Long, KvBlock> cache = new HashMap<>();
    private final BlockHash hasher;

    public BlockManager(int blockCount, int blockSize) {
        if (blockCount < 1 || blockSize < 1) {
            throw new IllegalArgumentException("a KV cache needs at least one block of at least one token, got %d "
                    .formatted(blockCount) + "blocks of " + blockSize);
        }
        this.blockSize = blockSize;
        this.blocks = new KvBlock[blockCount];
        for (int i = blockCount - 1; i >= 0; i--) {
            blocks[i] = new KvBlock(i);
            free.push(blocks[i]);
        }
        this.hasher = new BlockHash(blockSize);
    }

    public int blockSize() {
        return blockSize;
    }

    public int totalBlocks() {
        return blocks.length;
    }

    /** Blocks that can be handed out now: free ones and cached ones nobody references. */
    public int availableBlocks() {
        return free.size() + evictable.size();
    }

    /** Blocks referenced by at least one block table. */
    public int usedBlocks() {
        return blocks.length - availableBlocks();
    }

    /** Unreferenced blocks kept for the prefix cache. */
    public int cachedFreeBlocks() {
        return evictable.size();
    }

    public int references(int block) {
        return blocks[block].references;
    }

    /**
     * Fills an empty table with the cached blocks that hold the longest prefix of {@code tokens[0 .. limit)} made of
     * full blocks, and returns how many tokens they cover (a multiple of the block size). The caller passes a limit
     * below the sequence's length so that at least one token is left to compute: the step needs its logits. Undo
     * with {@link #release} when the sequence cannot run after all.
     */
    public int matchPrefix(BlockTable table, int[] tokens, int limit) {
        if (table.size() != 0) {
            throw new IllegalStateException("prefix matching needs an empty block table, this one has "
                    + table.size() + " blocks");
        }
        for (int start = 0; start + blockSize <= limit; start += blockSize) {
            long hash = hasher.of(table.lastHash(), tokens, start, blockSize);
            KvBlock block = cache.get(hash);
            if (block == null || block.parentHash != table.lastHash()
                    || !Arrays.equals(block.tokens, 0, blockSize, tokens, start, start + blockSize)) {
                break;
            }
            if (block.references++ == 0) {
                evictable.remove(block);
            }
            table.add(block.id);
            table.hashed(hash);
        }
        return table.size() * blockSize;
    }

    /**
     * Makes {@code table} ready for a step that writes positions {@code [computed, computed + count)}: adds the blocks
     * those positions need and, when the block holding position {@code computed} is shared, swaps in a private copy
     * (added to {@code copies}). Changes nothing and returns false when the pool has too few blocks.
     */
    public boolean prepareWrite(BlockTable table, int computed, int count, List<BlockCopy> copies) {
        int first = computed / blockSize;
        boolean copyOnWrite = computed % blockSize != 0 && blocks[table.block(first)].references > 1;
        int added = Math.max(0, (computed + count + blockSize - 1) / blockSize - table.size());
        if (added + (copyOnWrite ? 1 : 0) > availableBlocks()) {
            return false;
        }
        if (copyOnWrite) {
            KvBlock shared = blocks[table.block(first)];
            KvBlock own = take();
            shared.references--; // still referenced by the other tables, so never released here
            table.set(first, own.id);
            copies.add(new BlockCopy(shared.id, own.id));
        }
        for (int i = 0; i < added; i++) {
            table.add(take().id);
        }
        return true;
    }

    /**
     * Enters the table's blocks that became full (all positions below {@code computed} are in the cache) into the
     * prefix cache. A block whose contents are already cached under another block stays out of it; the hash chain
     * goes on either way.
     */
    public void cacheFullBlocks(BlockTable table, int[] tokens, int computed) {
        for (int index = table.hashedBlocks(); (index + 1) * blockSize <= computed; index++) {
            long parent = table.lastHash();
            long hash = hasher.of(parent, tokens, index * blockSize, blockSize);
            KvBlock block = blocks[table.block(index)];
            if (!block.cached && !cache.containsKey(hash)) {
                block.cached = true;
                block.hash = hash;
                block.parentHash = parent;
                block.tokens = Arrays.copyOfRange(tokens, index * blockSize, (index + 1) * blockSize);
                cache.put(hash, block);
            }
            table.hashed(hash);
        }
    }

    /** A table for a forked sequence that shares every block of {@code table}. */
    public BlockTable fork(BlockTable table) {
        for (int i = 0; i < table.size(); i++) {
            blocks[table.block(i)].references++;
        }
        return table.copy();
    }

    /**
     * Drops the table's references and empties it. Blocks are released last first, so that when the cache must
     * evict, a sequence's tail goes before its head (which other prompts are likelier to share).
     */
    public void release(BlockTable table) {
        for (int i = table.size() - 1; i >= 0; i--) {
            KvBlock block = blocks[table.block(i)];
            if (--block.references == 0) {
                if (block.cached) {
                    evictable.addLast(block);
                } else {
                    free.push(block);
                }
            } else if (block.references < 0) {
                throw new IllegalStateException("block " + block.id + " released more often than referenced");
            }
        }
        table.clear();
    }

    private KvBlock take() {
        KvBlock block = free.poll();
        if (block == null) {
            block = evictable.removeFirst();
            cache.remove(block.hash);
            block.forget();
        }
        block.references = 1;
        return block;
    }
}
