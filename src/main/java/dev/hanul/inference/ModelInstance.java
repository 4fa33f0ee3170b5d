package dev.hanul.inference;

import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.GenerationRequest;
import dev.hanul.engine.InferenceEngine;
import dev.hanul.engine.LoadedModel;
import dev.hanul.engine.chat.ChatTemplate;
import dev.hanul.engine.tokenizer.Tokenizer;
import java.util.concurrent.Flow;

/**
 * A model version that is loaded and takes requests: what the inference façade generates with. The registry owns
 * its life (load, warm, drain, unload); the façade only borrows it for one request at a time.
 *
 * <p>The façade reaches the version only through the methods below {@link #engine()} (tokenizer, chat template,
 * window, limits, submit), so a version that runs elsewhere (a remote OpenAI-compatible server) serves every API
 * the same way; their defaults are those of a version with its own engine in this process.
 */
public interface ModelInstance {

    /** The version in metrics, logs and interaction records: {@code name@version}. */
    String id();

    /** The model's name without the version. */
    String name();

    /**
     * Tokenizer, chat template and shape.
     *
     * @throws IllegalStateException for a version served elsewhere, which has no weights here
     */
    LoadedModel model();

    /** @throws IllegalStateException for a version served elsewhere ({@link #localEngine()} is null) */
    InferenceEngine engine();

    /** The engine when the version runs in this process; null when it is served elsewhere. */
    default InferenceEngine localEngine() {
        return engine();
    }

    /** The tokenizer prompts are encoded with and answers decoded with. */
    default Tokenizer tokenizer() {
        return model().tokenizer();
    }

    default ChatTemplate chatTemplate() {
        return model().chatTemplate();
    }

    /** The model's context length in tokens. */
    default int contextLength() {
        return model().model().config().contextLength();
    }

    /** Tokens the KV cache holds for one request at most. */
    default int kvCapacityTokens() {
        return engine().kvCapacityTokens();
    }

    /** Requests decoded at once. */
    default int maxRunningSequences() {
        return engine().config().maxRunningSequences();
    }

    /** Requests queued at most. */
    default int maxWaiting() {
        return engine().config().maxWaiting();
    }

    /**
     * Starts a generation; the engine's contract ({@link InferenceEngine#submit}): refusals are thrown
     * (IllegalArgumentException, {@link dev.hanul.engine.EngineOverloadedException}, IllegalStateException), or, for
     * a version served elsewhere, signalled as {@link InferenceFailure}s.
     */
    default Flow.Publisher<GenerationEvent> submit(GenerationRequest request) {
        return engine().submit(request);
    }

    /**
     * Counts one request in flight until the lease is closed, so that a draining version unloads only after its
     * last stream has ended.
     *
     * @throws InferenceFailure.ModelNotReady when the version is draining or unloaded and takes no new requests
     */
    Lease begin();

    /** One request in flight on a version; closing it twice is harmless. */
    interface Lease extends AutoCloseable {
        @Override
        void close();
    }
}
