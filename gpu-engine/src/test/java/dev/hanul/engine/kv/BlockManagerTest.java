package dev.hanul.engine.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BlockManagerTest {

    private final BlockManager manager = new BlockManager(8, 4);
    private final List<BlockCopy> copies = new ArrayList<>();

    @Test
    void blocksAreAllocatedForExactlyThePositionsWrittenAndAllComeBack() {
        BlockTable table = new BlockTable();
        assertThat(manager.prepareWrite(table, 0, 5, copies)).isTrue();
        assertThat(table.size()).isEqualTo(2);
        assertThat(manager.prepareWrite(table, 5, 3, copies)).isTrue();
        assertThat(table.size()).as("positions 5..7 still fit in block 1").isEqualTo(2);
        assertThat(manager.prepareWrite(table, 8, 1, copies)).isTrue();
        assertThat(table.size()).isEqualTo(3);
        assertThat(manager.usedBlocks()).isEqualTo(3);

        manager.release(table);
        assertThat(table.size()).isZero();
        assertThat(manager.usedBlocks()).isZero();
        assertThat(manager.availableBlocks()).isEqualTo(8);
        assertThat(copies).isEmpty();
    }

    @Test
    void aWriteThatDoesNotFitChangesNothing() {
        BlockTable big = new BlockTable();
        assertThat(manager.prepareWrite(big, 0, 28, copies)).isTrue();
        BlockTable other = new BlockTable();
        assertThat(manager.prepareWrite(other, 0, 8, copies)).isFalse();
        assertThat(other.size()).isZero();
        assertThat(manager.availableBlocks()).isEqualTo(1);
    }

    @Test
    void aSecondSequenceWithTheSamePrefixReusesItsFullBlocks() {
        int[] prompt = IntStream.range(100, 111).toArray(); // 11 tokens: blocks of 4, 4 and 3
        BlockTable first = new BlockTable();
        manager.prepareWrite(first, 0, prompt.length, copies);
        manager.cacheFullBlocks(first, prompt, prompt.length);

        BlockTable second = new BlockTable();
        int matched = manager.matchPrefix(second, prompt, prompt.length - 1);
        assertThat(matched).isEqualTo(8);
        assertThat(second.block(0)).isEqualTo(first.block(0));
        assertThat(second.block(1)).isEqualTo(first.block(1));
        assertThat(manager.references(first.block(0))).isEqualTo(2);

        // still cached after both are gone, as long as nobody needs the blocks
        manager.release(first);
        manager.release(second);
        assertThat(manager.cachedFreeBlocks()).isEqualTo(2);
        BlockTable third = new BlockTable();
        assertThat(manager.matchPrefix(third, prompt, prompt.length - 1)).isEqualTo(8);
        assertThat(manager.cachedFreeBlocks()).isZero();
    }

    @Test
    void aBlockMatchesOnlyAfterTheSamePrefix() {
        int[] a = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        int[] b = {9, 2, 3, 4, 5, 6, 7, 8, 9}; // same second block, different first block
        BlockTable table = new BlockTable();
        manager.prepareWrite(table, 0, a.length, copies);
        manager.cacheFullBlocks(table, a, a.length);
        assertThat(manager.matchPrefix(new BlockTable(), b, b.length - 1)).isZero();
    }

    @Test
    void theLeastRecentlyReleasedCachedBlockIsEvictedFirst() {
        int[] older = IntStream.range(0, 4).toArray();
        int[] newer = IntStream.range(50, 54).toArray();
        for (int[] tokens : new int[][] {older, newer}) {
            BlockTable table = new BlockTable();
            manager.prepareWrite(table, 0, 4, copies);
            manager.cacheFullBlocks(table, tokens, 4);
            manager.release(table);
        }
        BlockTable filler = new BlockTable();
        assertThat(manager.prepareWrite(filler, 0, 7 * 4, copies)).as("6 free blocks + 1 evicted").isTrue();
        assertThat(manager.matchPrefix(new BlockTable(), with(older, 0), 4)).isZero();
        assertThat(manager.matchPrefix(new BlockTable(), with(newer, 0), 4)).isEqualTo(4);
    }

    @Test
    void forkedTablesShareBlocksUntilOneWritesIntoTheSharedPartialBlock() {
        BlockTable parent = new BlockTable();
        manager.prepareWrite(parent, 0, 6, copies); // one full block, one with 2 of 4 positions
        BlockTable child = manager.fork(parent);
        assertThat(manager.references(parent.block(1))).isEqualTo(2);

        assertThat(manager.prepareWrite(child, 6, 1, copies)).isTrue();
        assertThat(copies).containsExactly(new BlockCopy(parent.block(1), child.block(1)));
        assertThat(child.block(0)).isEqualTo(parent.block(0));
        assertThat(child.block(1)).isNotEqualTo(parent.block(1));
        assertThat(manager.references(parent.block(1))).isEqualTo(1);

        copies.clear();
        assertThat(manager.prepareWrite(parent, 6, 1, copies)).isTrue();
        assertThat(copies).as("the parent owns its block alone now").isEmpty();

        manager.release(parent);
        manager.release(child);
        assertThat(manager.usedBlocks()).isZero();
        for (int b = 0; b < manager.totalBlocks(); b++) {
            assertThat(manager.references(b)).isZero();
        }
    }

    private static int[] with(int[] tokens, int extra) {
        int[] longer = Arrays.copyOf(tokens, tokens.length + 1);
        longer[tokens.length] = extra;
        return longer;
    }
}
