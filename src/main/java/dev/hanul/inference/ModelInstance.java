package dev.hanul.inference;

import dev.hanul.engine.InferenceEngine;
import dev.hanul.engine.LoadedModel;

/**
 * A model version that is loaded and takes requests: what the inference façade generates with. The registry owns
 * its life (load, warm, drain, unload); the façade only borrows it for one request at a time.
 */
public interface ModelInstance {

    /** The version in metrics, logs and interaction records: {@code name@version}. */
    String id();

    /** The model's name without the version. */
    String name();

    /** Tokenizer, chat template and shape. */
    LoadedModel model();

    InferenceEngine engine();

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
