package dev.hanul.engine.scheduler;

import dev.hanul.engine.kv.BlockTable;
import dev.hanul.engine.lora.LoraAdapter;
import java.util.Arrays;

/**
 * One stream of tokens the engine is generating: the prompt, then the tokens sampled so far. {@code computed} of
 * them have their keys and values in the KV cache (the rest are computed by coming steps, a chunk at a time); the
 * block table says where. A sequence waits, runs, and finishes; preemption sends it back to waiting with its cache
 * dropped, to be recomputed from its tokens later. Owned by the engine's step thread.
 */
public final class Sequence {

    /** Where a sequence is in its life. */
    public enum State { WAITING, RUNNING, FINISHED }

    private final String requestId;
    private final int sampleIndex;
    private final int promptLength;
    private final BlockTable blockTable;
    private final LoraAdapter adapter;
    private int[] tokens;
    private int length;
    private int computed;
    private int forksPending;
    private State state = State.WAITING;
    private boolean admitted;
    private int cachedPromptTokens;

    /**
     * @param forksPending how many sibling samples (n - 1) this sequence will fork once its prompt is computed; they
     *                     count against the running limit from the start
     */
    public Sequence(String requestId, int sampleIndex, int[] prompt, int forksPending) {
        this(requestId, sampleIndex, prompt, forksPending, null);
    }

    /** @param adapter the LoRA adapter the sequence runs with, or null for the base model */
    public Sequence(String requestId, int sampleIndex, int[] prompt, int forksPending, LoraAdapter adapter) {
        this(requestId, sampleIndex, prompt.clone(), prompt.length, prompt.length, 0,
                adapter == null ? new BlockTable() : new BlockTable(adapter.cacheRoot()), forksPending, adapter);
    }

    private Sequence(String requestId, int sampleIndex, int[] tokens, int length, int promptLength, int computed,
                     BlockTable blockTable, int forksPending, LoraAdapter adapter) {
        this.adapter = adapter;
        this.requestId = requestId;
        this.sampleIndex = sampleIndex;
        this.tokens = tokens;
        this.length = length;
        this.promptLength = promptLength;
        this.computed = computed;
        this.blockTable = blockTable;
        this.forksPending = forksPending;
    }

    public String requestId() {
        return requestId;
    }

    public int sampleIndex() {
        return sampleIndex;
    }

    public State state() {
        return state;
    }

    public int length() {
        return length;
    }

    public int promptLength() {
        return promptLength;
    }

    public int generated() {
        return length - promptLength;
    }

    /** Tokens whose keys and values are in the cache. */
    public int computed() {
        return computed;
    }

    /** Tokens still to run through the model before the next token can be sampled. */
    public int remaining() {
        return length - computed;
    }

    public int token(int index) {
        return tokens[index];
    }

    /** The tokens array itself (valid up to {@link #length()}), for hashing and batching without copies. */
    public int[] tokens() {
        return tokens;
    }

    /** The LoRA adapter it runs with, or null for the base model. */
    public LoraAdapter adapter() {
        return adapter;
    }

    public BlockTable blockTable() {
        return blockTable;
    }

    public int forksPending() {
        return forksPending;
    }

    /** Running sequences this one stands for: itself and the siblings it has yet to fork. */
    int slots() {
        return 1 + forksPending;
    }

    /** Whether the sequence has been admitted to run at least once (it is no longer queued). */
    public boolean admitted() {
        return admitted;
    }

    /** Prompt tokens found in the prefix cache when the sequence was first admitted. */
    public int cachedPromptTokens() {
        return cachedPromptTokens;
    }

    void cachedPromptTokens(int tokens) {
        cachedPromptTokens = tokens;
    }

    /** Appends a sampled token; its keys and values are computed by the next step. */
    public void append(int token) {
        if (length == tokens.length) {
            tokens = Arrays.copyOf(tokens, Math.max(16, 2 * length));
        }
        tokens[length++] = token;
    }

    void computed(int computed) {
        this.computed = computed;
    }

    void state(State state) {
        this.state = state;
        if (state == State.RUNNING) {
            admitted = true;
        }
    }

    /** A sibling for parallel sampling that shares this sequence's tokens and, through {@code table}, its blocks. */
    Sequence fork(int sampleIndex, BlockTable table) {
        Sequence child = new Sequence(requestId, sampleIndex, Arrays.copyOf(tokens, tokens.length), length,
                promptLength, computed, table, 0, adapter);
        child.state = state;
        child.admitted = true;
        child.cachedPromptTokens = cachedPromptTokens;
        return child;
    }

    void forked() {
        forksPending = 0;
    }

    @Override
    public String toString() {
        return "Sequence[%s#%d, %s, %d tokens (%d prompt), %d computed]".formatted(requestId, sampleIndex, state,
                length, promptLength, computed);
    }
}
