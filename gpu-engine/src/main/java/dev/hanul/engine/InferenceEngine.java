package dev.hanul.engine;

import dev.hanul.engine.backend.Backend;
import dev.hanul.engine.backend.BackendSelector;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.kv.BlockManager;
import dev.hanul.engine.model.LlamaConfig;
import dev.hanul.engine.model.LlamaModel;
import dev.hanul.engine.sampling.Logprobs;
import dev.hanul.engine.sampling.Sampler;
import dev.hanul.engine.sampling.SamplingParams;
import dev.hanul.engine.sampling.StopStrings;
import dev.hanul.engine.scheduler.ScheduledBatch;
import dev.hanul.engine.scheduler.Scheduler;
import dev.hanul.engine.scheduler.Sequence;
import dev.hanul.engine.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The serving engine: many requests decoded together by one step thread with continuous batching over a paged,
 * prefix-cached KV cache. {@link #submit} returns a request's events as a {@link Flow.Publisher}; {@link #cancel}
 * frees its blocks before the next step; {@link #stats} reports the gauges. Submit, cancel and stats are safe from
 * any thread; everything else happens on the step thread, between or in steps:
 * <ol>
 *   <li>take new requests and cancellations;</li>
 *   <li>{@link Scheduler#schedule}: which tokens of which sequences this step computes;</li>
 *   <li>{@link ModelRunner#run}: one forward pass over all of them;</li>
 *   <li>sample the next token of every sequence that reached its end, emit events, finish what is done.</li>
 * </ol>
 */
public final class InferenceEngine implements AutoCloseable {

    /** The CPU backend keeps keys and values as 32-bit floats. */
    private static final int KV_BYTES_PER_VALUE = Float.BYTES;

    private final LlamaModel model;
    private final Tokenizer tokenizer;
    private final EngineConfig config;
    private final Set<Integer> endOfSequence;
    private final List<AutoCloseable> owned;
    private final BlockManager blocks;
    private final Scheduler scheduler;
    private final ModelRunner runner;
    private final int vocabulary;
    private final LinkedBlockingQueue<Command> inbox = new LinkedBlockingQueue<>();
    /** Requests accepted and not finished, by id: for cancel() from any thread and for duplicate ids. */
    private final Map<String, Generation> active = new ConcurrentHashMap<>();
    /** The same, as the step thread sees them (it learns of requests through the inbox). */
    private final Map<String, Generation> generations = new HashMap<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final ExecutorService delivery = Executors.newVirtualThreadPerTaskExecutor();
    private final Thread stepThread;
    private volatile boolean closed;
    private volatile EngineStats stats;
    private long finished;
    private long steps;

    /** The messages other threads send the step thread. */
    private sealed interface Command {
        record Submit(Generation generation) implements Command {
        }

        record Cancel(String requestId) implements Command {
        }

        record Shutdown() implements Command {
        }
    }

    /**
     * An engine over a loaded model; the caller keeps ownership of the model (and its file and backend).
     *
     * @param tokenizer the model's tokenizer: it turns tokens into text deltas, finds stop strings, and says which
     *                  tokens end a sequence; null for a model driven by token ids only (no text, no stop strings,
     *                  no end-of-sequence tokens)
     */
    public InferenceEngine(LlamaModel model, Tokenizer tokenizer, EngineConfig config) {
        this(model, tokenizer, config, List.of());
    }

    private InferenceEngine(LlamaModel model, Tokenizer tokenizer, EngineConfig config, List<AutoCloseable> owned) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.config = config;
        this.endOfSequence = tokenizer == null ? Set.of() : Set.copyOf(tokenizer.stopTokens());
        this.owned = owned;
        LlamaConfig shape = model.config();
        this.vocabulary = shape.vocabularySize();
        long bytesPerToken = 2L * shape.blockCount() * shape.kvDim() * KV_BYTES_PER_VALUE;
        this.blocks = new BlockManager(config.blocks(bytesPerToken), config.blockSize());
        this.scheduler = new Scheduler(blocks, config.maxRunningSequences(), config.maxBatchTokens(),
                config.prefillChunk());
        this.runner = new ModelRunner(model, blocks.totalBlocks(), config.blockSize(), config.maxBatchTokens(),
                config.maxRunningSequences());
        publishStats();
        this.stepThread = Thread.ofPlatform().name("hanul-engine").daemon().start(this::loop);
    }

    /**
     * Opens a GGUF model on the configured backend ({@link BackendSelector}: CUDA when a device is there, else the CPU
     * with {@code config.threads()} threads), with its tokenizer when the file has one, and starts an engine that
     * owns them: closing the engine closes the model file and the backend.
     */
    public static InferenceEngine open(Path modelFile, EngineConfig config) {
        GgufFile gguf = GgufFile.open(modelFile);
        Backend backend = null;
        try {
            backend = BackendSelector.select(config.threads()).backend();
            LlamaModel model = LlamaModel.load(gguf, backend);
            Tokenizer tokenizer = gguf.has("tokenizer.ggml.model") ? Tokenizer.fromGguf(gguf) : null;
            return new InferenceEngine(model, tokenizer, config, List.of(backend, gguf));
        } catch (RuntimeException e) {
            if (backend != null) {
                backend.close();
            }
            gguf.close();
            throw e;
        }
    }

    /** The model's tokenizer, or null when the engine runs on token ids only. */
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The model requests run on; LoRA adapters for this engine are loaded against it. */
    public LlamaModel model() {
        return model;
    }

    public LlamaConfig modelConfig() {
        return model.config();
    }

    public EngineConfig config() {
        return config;
    }

    /** Tokens of KV cache the pool holds: the longest prompt plus max_tokens a request can ask for. */
    public int kvCapacityTokens() {
        return blocks.totalBlocks() * config.blockSize();
    }

    /**
     * Refuses at once, as {@link #submit} would, while {@code maxWaiting} requests are queued: a service calls this
     * before it spends work on a request (guardrails, prompt templates) that an overloaded engine would only throw
     * away. {@link #submit} still decides, since room can go between the two calls.
     *
     * @throws EngineOverloadedException when the queue is full
     */
    public void requireRoom() {
        int waiting = queued.get();
        if (waiting >= config.maxWaiting()) {
            rejected.incrementAndGet();
            throw new EngineOverloadedException(waiting, config.maxWaiting());
        }
    }

    /**
     * Queues a request and returns its events. Validation happens here, so a request that is accepted only ends
     * with an {@link FinishReason#ERROR} when the engine itself fails.
     *
     * @throws IllegalArgumentException   when the request cannot be served (its message names the parameter)
     * @throws EngineOverloadedException  when {@code maxWaiting} requests are already queued
     * @throws IllegalStateException      when the engine is closed
     */
    public Flow.Publisher<GenerationEvent> submit(GenerationRequest request) {
        if (closed) {
            throw new IllegalStateException("The engine is closed");
        }
        validate(request);
        if (queued.getAndUpdate(q -> q < config.maxWaiting() ? q + 1 : q) >= config.maxWaiting()) {
            rejected.incrementAndGet();
            throw new EngineOverloadedException(queued.get(), config.maxWaiting());
        }
        EventStream stream = new EventStream(delivery, () -> cancel(request.id()));
        Generation generation = new Generation(request, stream);
        if (active.putIfAbsent(request.id(), generation) != null) {
            queued.decrementAndGet();
            throw new IllegalArgumentException("A request with id '%s' is already running; ids must be unique"
                    .formatted(request.id()));
        }
        submitted.incrementAndGet();
        inbox.add(new Command.Submit(generation));
        return stream;
    }

    private void validate(GenerationRequest request) {
        int[] prompt = request.prompt();
        SamplingParams params = request.params();
        for (int i = 0; i < prompt.length; i++) {
            if (prompt[i] < 0 || prompt[i] >= vocabulary) {
                throw new IllegalArgumentException("prompt token %d (at index %d) is outside the vocabulary of %d "
                        .formatted(prompt[i], i, vocabulary) + "tokens");
            }
        }
        int requested = prompt.length + params.maxTokens();
        int context = model.config().contextLength();
        if (requested > context) {
            throw new IllegalArgumentException(("This model's maximum context length is %d tokens. However, you "
                    + "requested %d tokens (%d in the prompt, %d for the completion). Please reduce the length of "
                    + "the prompt or max_tokens.").formatted(context, requested, prompt.length, params.maxTokens()));
        }
        if (requested > kvCapacityTokens()) {
            throw new IllegalArgumentException(("The request needs up to %d tokens of KV cache (%d in the prompt, "
                    + "%d for max_tokens) but the cache holds %d; reduce the prompt or max_tokens, or raise the "
                    + "engine's kvCacheMemory").formatted(requested, prompt.length, params.maxTokens(),
                    kvCapacityTokens()));
        }
        if (request.adapter() != null && request.adapter().base() != model) {
            throw new IllegalArgumentException("LoRA adapter '%s' was loaded for another model; load it with this "
                    .formatted(request.adapter().name()) + "engine's model (LoraAdapter.load(file, model, ...))");
        }
        if (params.n() > config.maxRunningSequences()) {
            throw new IllegalArgumentException("n = %d exceeds the %d sequences the engine runs at once "
                    .formatted(params.n(), config.maxRunningSequences()) + "(maxRunningSequences)");
        }
        if (tokenizer == null && !params.stop().isEmpty()) {
            throw new IllegalArgumentException("stop strings need a tokenizer, and this model has none: use "
                    + "stop_token_ids");
        }
        for (int id : params.stopTokenIds()) {
            if (id >= vocabulary) {
                throw new IllegalArgumentException("stop_token_ids contains %d, outside the vocabulary of %d tokens"
                        .formatted(id, vocabulary));
            }
        }
    }

    /**
     * Cancels a request: its samples finish with {@link FinishReason#CANCELLED} and their KV blocks are freed before
     * the next step. Returns false when no such request is running (unknown, or finished already).
     */
    public boolean cancel(String requestId) {
        if (!active.containsKey(requestId)) {
            return false;
        }
        inbox.add(new Command.Cancel(requestId));
        return true;
    }

    /** The step thread's last snapshot, with the counters other threads update read now. */
    public EngineStats stats() {
        EngineStats s = stats;
        return new EngineStats(s.running(), s.waiting(), s.kvBlocksUsed(), s.kvBlocksTotal(), s.kvBlocksCached(),
                s.kvSlotsAllocated(), s.kvSlotsUsed(), s.prefixCacheHitRate(), s.preemptions(), submitted.get(),
                s.requestsFinished(), rejected.get(), s.prefillTokens(), s.decodeTokens(), s.steps());
    }

    /** The block pool, for tests that check its reference counts once the engine is idle. */
    BlockManager blockManager() {
        return blocks;
    }

    /**
     * Stops the step thread; requests still running end with {@link FinishReason#ERROR} ("the engine was shut
     * down"). Closes the model file and backend when the engine opened them.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        inbox.add(new Command.Shutdown());
        try {
            stepThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        delivery.shutdown();
        for (AutoCloseable resource : owned) {
            try {
                resource.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + resource + " failed", e);
            }
        }
    }

    private void loop() {
        while (true) {
            try {
                Command command = scheduler.hasWork() ? inbox.poll() : inbox.take();
                for (; command != null; command = inbox.poll()) {
                    if (command instanceof Command.Shutdown) {
                        shutDown("the engine was shut down");
                        return;
                    }
                    handle(command);
                }
                if (scheduler.hasWork()) {
                    step();
                }
            } catch (InterruptedException e) {
                shutDown("the engine was interrupted");
                return;
            } catch (RuntimeException e) {
                // A failed step leaves its sequences half-computed: end every request rather than guess.
                failAll("the engine failed: " + e);
            }
            publishStats();
        }
    }

    private void handle(Command command) {
        switch (command) {
            case Command.Submit(Generation generation) -> {
                GenerationRequest request = generation.request;
                SamplingParams params = request.params();
                Sequence first = new Sequence(request.id(), 0, request.prompt(), params.n() - 1, request.adapter());
                generation.add(newSample(generation, first));
                generations.put(request.id(), generation);
                scheduler.add(first);
            }
            case Command.Cancel(String requestId) -> {
                Generation generation = generations.get(requestId);
                if (generation != null) {
                    finishAll(generation, FinishReason.CANCELLED, null);
                }
            }
            case Command.Shutdown() -> throw new IllegalStateException("shutdown is handled by the loop");
        }
    }

    private Generation.Sample newSample(Generation generation, Sequence sequence) {
        GenerationRequest request = generation.request;
        SamplingParams params = request.params();
        Set<Integer> stops = new HashSet<>(params.stopTokenIds());
        if (!params.ignoreEos()) {
            stops.addAll(endOfSequence);
        }
        Sampler sampler = new Sampler(params, Sampler.seedOf(params.seed(), sequence.sampleIndex()), request.prompt(),
                stops);
        return tokenizer == null ? new Generation.Sample(sequence, sampler, null, null)
                : new Generation.Sample(sequence, sampler, tokenizer.newDetokenizer(), new StopStrings(params.stop()));
    }

    private void step() {
        ScheduledBatch batch = scheduler.schedule();
        if (batch.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        for (Sequence sequence : batch.sequences()) {
            Generation generation = generations.get(sequence.requestId());
            if (!generation.dequeued) {
                generation.dequeued = true;
                generation.scheduledNanos = now;
                queued.decrementAndGet();
            }
        }
        float[] logits = runner.run(batch);
        steps++;
        scheduler.completed(batch);
        int row = 0;
        for (int i = 0; i < batch.sequences().size(); i++) {
            if (batch.sampling()[i]) {
                sampleNext(batch.sequences().get(i), logits, row++ * vocabulary);
            }
        }
    }

    /** Samples the sequence's next token (and, on its first, those of the siblings it forks) from its logits row. */
    private void sampleNext(Sequence sequence, float[] logits, int offset) {
        Generation generation = generations.get(sequence.requestId());
        if (sequence.forksPending() > 0) {
            List<Sequence> children = scheduler.fork(sequence);
            for (Sequence child : children) {
                generation.add(newSample(generation, child));
            }
            accept(generation, generation.sample(sequence.sampleIndex()), logits, offset);
            for (Sequence child : children) {
                accept(generation, generation.sample(child.sampleIndex()), logits, offset);
            }
        } else {
            accept(generation, generation.sample(sequence.sampleIndex()), logits, offset);
        }
    }

    private void accept(Generation generation, Generation.Sample sample, float[] logits, int offset) {
        SamplingParams params = generation.request.params();
        int token = sample.sampler.sample(logits, offset, vocabulary);
        int index = sample.sequence.sampleIndex();
        if (token == Sampler.NO_TOKEN) {
            // A complete constrained output that may not end with a stop token (ignore_eos, or min_tokens not
            // reached) ends here: nothing may follow it. Anything else is a constraint the vocabulary cannot meet.
            if (sample.sampler.constraintComplete()) {
                finishSample(generation, index, FinishReason.STOP, null, null, null);
            } else {
                finishSample(generation, index, FinishReason.ERROR, "the output constraint allows none of the "
                        + "model's tokens after " + sample.sampled + " generated tokens", null, null);
            }
            return;
        }
        sample.sampled++;
        if (params.stopTokenIds().contains(token) || !params.ignoreEos() && endOfSequence.contains(token)) {
            finishSample(generation, index, FinishReason.STOP, null, token, null);
            return;
        }
        Logprobs logprobs = params.logprobs() == null ? null
                : Logprobs.of(logits, offset, vocabulary, token, params.logprobs());
        generation.stream.emit(new GenerationEvent.Token(index, token, sample.text(token), logprobs));
        if (sample.stops != null && sample.stops.stopped()) {
            finishSample(generation, index, FinishReason.STOP, null, null, sample.stops.matched());
        } else if (sample.sampled >= params.maxTokens()) {
            finishSample(generation, index, FinishReason.LENGTH, null, null, null);
        } else {
            sample.sequence.append(token);
        }
    }

    /**
     * @param stopToken  the token that ended a {@link FinishReason#STOP}, as {@link GenerationEvent.Finished} says
     * @param stopString the stop string that ended it
     */
    private void finishSample(Generation generation, int index, FinishReason reason, String message,
            Integer stopToken, String stopString) {
        Generation.Sample sample = generation.sample(index);
        String text = "";
        if (sample != null) {
            scheduler.finish(sample.sequence);
            text = sample.flush();
        }
        boolean done = generation.finish(index);
        generation.stream.emit(new GenerationEvent.Finished(index, reason, text, generation.usage(), message,
                stopToken, stopString, generation.scheduledNanos));
        if (done) {
            String id = generation.request.id();
            generations.remove(id);
            active.remove(id);
            if (!generation.dequeued) {
                generation.dequeued = true;
                queued.decrementAndGet();
            }
            finished++;
            generation.stream.complete();
        }
    }

    /** Ends every unfinished sample of the request, including siblings not forked yet. */
    private void finishAll(Generation generation, FinishReason reason, String message) {
        for (int index = 0; index < generation.n(); index++) {
            if (!generation.finished(index)) {
                finishSample(generation, index, reason, message, null, null);
            }
        }
    }

    private void failAll(String message) {
        for (Generation generation : new ArrayList<>(generations.values())) {
            finishAll(generation, FinishReason.ERROR, message);
        }
    }

    /** Ends every request, those still in the inbox too, and publishes the final stats. */
    private void shutDown(String message) {
        for (Command command; (command = inbox.poll()) != null; ) {
            if (command instanceof Command.Submit) {
                handle(command);
            }
        }
        failAll(message);
        publishStats();
    }

    private void publishStats() {
        stats = new EngineStats(scheduler.running(), scheduler.waiting() + pendingSubmissions(), blocks.usedBlocks(),
                blocks.totalBlocks(), blocks.cachedFreeBlocks(), (long) blocks.usedBlocks() * config.blockSize(),
                scheduler.usedSlots(), hitRate(), scheduler.preemptions(), submitted.get(), finished, rejected.get(),
                scheduler.prefillTokens(), scheduler.decodeTokens(), steps);
    }

    private int pendingSubmissions() {
        int pending = 0;
        for (Command command : inbox) {
            if (command instanceof Command.Submit) {
                pending++;
            }
        }
        return pending;
    }

    private double hitRate() {
        long queried = scheduler.prefixQueriedTokens();
        return queried == 0 ? 0 : (double) scheduler.prefixHitTokens() / queried;
    }
}
