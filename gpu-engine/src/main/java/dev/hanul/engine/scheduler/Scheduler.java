package dev.hanul.engine.scheduler;

import dev.hanul.engine.kv.BlockCopy;
import dev.hanul.engine.kv.BlockManager;
import dev.hanul.engine.kv.BlockTable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Iteration-level (continuous) batching: before every step it decides which tokens of which sequences the step
 * computes, within a token budget. Running sequences that are decoding get their one token first, then sequences
 * still catching up (a prompt, or a recomputation after preemption) get a chunk of at most {@code prefillChunk}
 * tokens, then waiting sequences are admitted, oldest first, while the budget, the running limit and the KV blocks
 * allow. So a long prompt is spread over several steps and never holds up the tokens of running sequences.
 *
 * <p>When a sequence needs a block and none is left, the newest running sequence not yet in the step is preempted:
 * its blocks are released and it goes back to the front of the queue, to be recomputed from its tokens when blocks
 * free up (its prefix is often still cached then). Running out of KV memory never fails a request.
 *
 * <p>Not thread-safe: the engine's step thread owns it.
 */
public final class Scheduler {

    private final BlockManager blocks;
    private final int maxRunning;
    private final int maxBatchTokens;
    private final int prefillChunk;
    /**
     * Blocks left free when admitting while others run, so that running sequences that cross into a new block do
     * not immediately preempt the sequence just admitted.
     */
    private final int watermark;
    private final ArrayDeque<Sequence> waiting = new ArrayDeque<>();
    private final List<Sequence> running = new ArrayList<>();
    private final int[] blockFill;
    private boolean preemptedThisStep;
    private long preemptions;
    private long prefillTokens;
    private long decodeTokens;
    private long prefixQueriedTokens;
    private long prefixHitTokens;

    public Scheduler(BlockManager blocks, int maxRunning, int maxBatchTokens, int prefillChunk) {
        this.blocks = blocks;
        this.maxRunning = maxRunning;
        this.maxBatchTokens = maxBatchTokens;
        this.prefillChunk = prefillChunk;
        this.watermark = blocks.totalBlocks() / 100;
        this.blockFill = new int[blocks.totalBlocks()];
    }

    /** Queues a new sequence behind the others. */
    public void add(Sequence sequence) {
        waiting.addLast(sequence);
    }

    public boolean hasWork() {
        return !waiting.isEmpty() || !running.isEmpty();
    }

    /** The tokens the next step computes; empty when there is nothing to do. */
    public ScheduledBatch schedule() {
        List<Sequence> sequences = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        List<BlockCopy> copies = new ArrayList<>();
        Set<Sequence> scheduled = new HashSet<>();
        preemptedThisStep = false;
        int budget = maxBatchTokens;
        for (boolean decoding : new boolean[] {true, false}) {
            for (Sequence sequence : List.copyOf(running)) {
                if (budget == 0) {
                    break;
                }
                if (sequence.state() != Sequence.State.RUNNING || (sequence.remaining() == 1) != decoding) {
                    continue;
                }
                int count = Math.min(sequence.remaining(), Math.min(prefillChunk, budget));
                if (reserve(sequence, count, copies, scheduled)) {
                    sequences.add(sequence);
                    counts.add(count);
                    scheduled.add(sequence);
                    budget -= count;
                }
            }
        }
        // A step that had to preempt is short of blocks: admitting now would only preempt again.
        while (!preemptedThisStep && budget > 0 && !waiting.isEmpty()) {
            Sequence sequence = waiting.peekFirst();
            int count = admit(sequence, budget, copies);
            if (count == 0) {
                break;
            }
            waiting.pollFirst();
            running.add(sequence);
            sequences.add(sequence);
            counts.add(count);
            budget -= count;
        }
        int[] countArray = counts.stream().mapToInt(Integer::intValue).toArray();
        boolean[] sampling = new boolean[countArray.length];
        for (int i = 0; i < countArray.length; i++) {
            sampling[i] = countArray[i] == sequences.get(i).remaining();
        }
        return new ScheduledBatch(Collections.unmodifiableList(sequences), countArray, sampling,
                Collections.unmodifiableList(copies));
    }

    /**
     * Takes blocks for the sequence's next {@code count} tokens, preempting the newest running sequences not in this
     * step while there are too few; returns false when the sequence itself had to be preempted.
     */
    private boolean reserve(Sequence sequence, int count, List<BlockCopy> copies, Set<Sequence> scheduled) {
        while (!blocks.prepareWrite(sequence.blockTable(), sequence.computed(), count, copies)) {
            Sequence victim = newestRunningOutside(scheduled, sequence);
            preempt(victim != null ? victim : sequence);
            if (victim == null) {
                return false;
            }
        }
        return true;
    }

    private Sequence newestRunningOutside(Set<Sequence> scheduled, Sequence except) {
        for (int i = running.size() - 1; i >= 0; i--) {
            Sequence candidate = running.get(i);
            if (candidate != except && !scheduled.contains(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private void preempt(Sequence sequence) {
        blocks.release(sequence.blockTable());
        sequence.computed(0);
        sequence.state(Sequence.State.WAITING);
        running.remove(sequence);
        waiting.addFirst(sequence);
        preemptions++;
        preemptedThisStep = true;
    }

    /** Starts the waiting sequence with a first chunk and returns its size, or 0 when it cannot start now. */
    private int admit(Sequence sequence, int budget, List<BlockCopy> copies) {
        if (runningSlots() + sequence.slots() > maxRunning) {
            return 0;
        }
        BlockTable table = sequence.blockTable();
        int cached = blocks.matchPrefix(table, sequence.tokens(), sequence.length() - 1);
        sequence.computed(cached);
        int count = Math.min(sequence.remaining(), Math.min(prefillChunk, budget));
        int needed = (sequence.computed() + count + blocks.blockSize() - 1) / blocks.blockSize() - table.size();
        int reserve = running.isEmpty() ? 0 : watermark;
        if (blocks.availableBlocks() - needed < reserve || !blocks.prepareWrite(table, cached, count, copies)) {
            blocks.release(table);
            sequence.computed(0);
            return 0;
        }
        prefixQueriedTokens += sequence.length();
        prefixHitTokens += cached;
        if (!sequence.admitted()) {
            sequence.cachedPromptTokens(cached);
        }
        sequence.state(Sequence.State.RUNNING);
        return count;
    }

    private int runningSlots() {
        int slots = 0;
        for (Sequence sequence : running) {
            slots += sequence.slots();
        }
        return slots;
    }

    /** Records that the step ran: the scheduled tokens are in the cache now, and full blocks join the prefix cache. */
    public void completed(ScheduledBatch batch) {
        for (int i = 0; i < batch.sequences().size(); i++) {
            Sequence sequence = batch.sequences().get(i);
            int count = batch.counts()[i];
            if (count == 1 && sequence.remaining() == 1 && sequence.generated() > 0) {
                decodeTokens++;
            } else {
                prefillTokens += count;
            }
            sequence.computed(sequence.computed() + count);
            blocks.cacheFullBlocks(sequence.blockTable(), sequence.tokens(), sequence.computed());
        }
    }

    /**
     * Creates the sequence's pending siblings (parallel sampling): they share its tokens and blocks and run from now
     * on; a sibling's first write into a shared block copies it.
     */
    public List<Sequence> fork(Sequence parent) {
        List<Sequence> children = new ArrayList<>();
        for (int i = 1; i <= parent.forksPending(); i++) {
            Sequence child = parent.fork(parent.sampleIndex() + i, blocks.fork(parent.blockTable()));
            running.add(child);
            children.add(child);
        }
        parent.forked();
        return children;
    }

    /** Ends the sequence (done, cancelled or failed) and releases its blocks at once. */
    public void finish(Sequence sequence) {
        if (sequence.state() == Sequence.State.FINISHED) {
            return;
        }
        running.remove(sequence);
        waiting.remove(sequence);
        blocks.release(sequence.blockTable());
        sequence.state(Sequence.State.FINISHED);
    }

    public int running() {
        return running.size();
    }

    public int waiting() {
        return waiting.size();
    }

    public long preemptions() {
        return preemptions;
    }

    /** Tokens computed in chunks that catch a sequence up: prompts, and recomputation after preemption. */
    public long prefillTokens() {
        return prefillTokens;
    }

    /** Tokens computed one at a time by decoding sequences. */
    public long decodeTokens() {
        return decodeTokens;
    }

    /** Tokens of admitted sequences looked up in the prefix cache, and of those, the ones found. */
    public long prefixQueriedTokens() {
        return prefixQueriedTokens;
    }

    public long prefixHitTokens() {
        return prefixHitTokens;
    }

    /**
     * KV slots that hold a computed token, over the blocks running sequences reference (a block shared by forked
     * sequences counts once): allocated minus this is the memory paging wastes, at most the unfilled tail of each
     * sequence's last block.
     */
    public int usedSlots() {
        int blockSize = blocks.blockSize();
        int used = 0;
        for (Sequence sequence : running) {
            BlockTable table = sequence.blockTable();
            for (int b = 0; b < table.size(); b++) {
                int fill = Math.clamp(sequence.computed() - (long) b * blockSize, 0, blockSize);
                int block = table.block(b);
                if (fill > blockFill[block]) {
                    used += fill - blockFill[block];
                    blockFill[block] = fill;
                }
            }
        }
        for (Sequence sequence : running) {
            BlockTable table = sequence.blockTable();
            for (int b = 0; b < table.size(); b++) {
                blockFill[table.block(b)] = 0;
            }
        }
        return used;
    }
}
