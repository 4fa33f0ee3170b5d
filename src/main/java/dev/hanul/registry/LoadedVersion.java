package dev.hanul.registry;

import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.GenerationRequest;
import dev.hanul.engine.InferenceEngine;
import dev.hanul.engine.LoadedModel;
import dev.hanul.engine.chat.ChatTemplate;
import dev.hanul.engine.tokenizer.Tokenizer;
import dev.hanul.inference.InferenceFailure;
import dev.hanul.inference.ModelInstance;
import dev.hanul.inference.ModelState;
import dev.hanul.remote.RemoteServer;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A version with its own engine, or on a remote server ({@link RemoteServer}), loaded and taking requests. It counts the requests in flight (leases), so that
 * once it is draining it unloads only after the last one has ended: {@link #begin} refuses new requests after the
 * drain's grace period, and the registry is told (through {@code onIdle}) when the count reaches zero.
 */
final class LoadedVersion implements ModelInstance {

    private final String id;
    private final String name;
    private final LoadedModel model;
    private final InferenceEngine engine;
    private final RemoteServer remote;
    private final long weightBytes;
    private final long kvCacheBytes;
    private final Supplier<ModelState> state;
    private final Consumer<LoadedVersion> onIdle;
    private int leases;
    private boolean draining;
    private long refuseAfterNanos;
    private boolean closed;

    LoadedVersion(String id, String name, LoadedModel model, InferenceEngine engine, long weightBytes,
                  long kvCacheBytes, Supplier<ModelState> state, Consumer<LoadedVersion> onIdle) {
        this(id, name, model, engine, null, weightBytes, kvCacheBytes, state, onIdle);
    }

    /** A version a remote server runs: no weights and no KV cache here. */
    LoadedVersion(String id, String name, RemoteServer remote, Supplier<ModelState> state,
                  Consumer<LoadedVersion> onIdle) {
        this(id, name, null, null, remote, 0, 0, state, onIdle);
    }

    private LoadedVersion(String id, String name, LoadedModel model, InferenceEngine engine, RemoteServer remote,
                          long weightBytes, long kvCacheBytes, Supplier<ModelState> state,
                          Consumer<LoadedVersion> onIdle) {
        this.id = id;
        this.name = name;
        this.model = model;
        this.engine = engine;
        this.remote = remote;
        this.weightBytes = weightBytes;
        this.kvCacheBytes = kvCacheBytes;
        this.state = state;
        this.onIdle = onIdle;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public LoadedModel model() {
        requireOpen();
        requireLocal();
        return model;
    }

    @Override
    public InferenceEngine engine() {
        requireOpen();
        requireLocal();
        return engine;
    }

    /** The remote server that runs it; null for a version with its own engine. */
    RemoteServer remote() {
        return remote;
    }

    @Override
    public InferenceEngine localEngine() {
        requireOpen();
        return engine;
    }

    @Override
    public Tokenizer tokenizer() {
        requireOpen();
        return remote != null ? remote.tokenizer() : model.tokenizer();
    }

    @Override
    public ChatTemplate chatTemplate() {
        requireOpen();
        return remote != null ? remote.chatTemplate() : model.chatTemplate();
    }

    @Override
    public int contextLength() {
        requireOpen();
        return remote != null ? remote.contextLength() : model.model().config().contextLength();
    }

    @Override
    public int kvCapacityTokens() {
        requireOpen();
        // The server's KV cache is the server's business; the window is what Hanul can check.
        return remote != null ? remote.contextLength() : engine.kvCapacityTokens();
    }

    @Override
    public int maxRunningSequences() {
        requireOpen();
        return remote != null ? remote.maxConcurrent() : engine.config().maxRunningSequences();
    }

    @Override
    public int maxWaiting() {
        requireOpen();
        return remote != null ? 0 : engine.config().maxWaiting();
    }

    @Override
    public Flow.Publisher<GenerationEvent> submit(GenerationRequest request) {
        requireOpen();
        return remote != null ? remote.submit(request) : engine.submit(request);
    }

    private void requireLocal() {
        if (remote != null) {
            throw new IllegalStateException(id + " is served by " + remote.baseUrl() + ": it has no weights or "
                    + "engine in this process");
        }
    }

    long weightBytes() {
        return weightBytes;
    }

    long kvCacheBytes() {
        return kvCacheBytes;
    }

    synchronized int inFlight() {
        return leases;
    }

    private synchronized void requireOpen() {
        if (closed) {
            throw new InferenceFailure.ModelNotReady(id, state.get());
        }
    }

    @Override
    public Lease begin() {
        synchronized (this) {
            if (closed || draining && System.nanoTime() - refuseAfterNanos > 0) {
                throw new InferenceFailure.ModelNotReady(id, state.get());
            }
            leases++;
        }
        AtomicBoolean ended = new AtomicBoolean();
        return () -> {
            if (ended.compareAndSet(false, true)) {
                end();
            }
        };
    }

    private void end() {
        boolean idle;
        synchronized (this) {
            leases--;
            idle = draining && leases == 0;
        }
        if (idle) {
            onIdle.accept(this);
        }
    }

    /** Takes no new requests once {@code graceNanos} have passed; the registry unloads it when {@link #idle}. */
    synchronized void drain(long graceNanos) {
        draining = true;
        refuseAfterNanos = System.nanoTime() + graceNanos;
    }

    /** Back in service: an alias points at it again before it unloaded (a rollback during the drain). */
    synchronized boolean resume() {
        if (closed) {
            return false;
        }
        draining = false;
        return true;
    }

    /** Draining, past the grace period, and nothing in flight: marks it closed, so that it can be unloaded. */
    synchronized boolean closeIfIdle() {
        if (closed || !draining || leases > 0 || System.nanoTime() - refuseAfterNanos <= 0) {
            return false;
        }
        closed = true;
        return true;
    }

    /** Marks it closed whatever is in flight: the service is shutting down. */
    synchronized void closeNow() {
        closed = true;
    }

    /**
     * Frees the engine (its KV cache and threads) and the mapped file, or a remote version's tokenizer file. Call
     * once, after it was marked closed.
     */
    void release() {
        if (remote != null) {
            remote.close();
            return;
        }
        engine.close();
        model.close();
    }
}
