package dev.hanul.engine;

import dev.hanul.engine.backend.Backend;
import dev.hanul.engine.backend.BackendSelector;
import dev.hanul.engine.backend.SelectedBackend;
import dev.hanul.engine.chat.ChatTemplate;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.model.LlamaModel;
import dev.hanul.engine.tokenizer.Tokenizer;
import java.nio.file.Path;

/** A model file opened for inference: its weights on a backend, its tokenizer and its chat template. */
public final class LoadedModel implements AutoCloseable {

    private final GgufFile gguf;
    private final Backend backend;
    private final LlamaModel model;
    private final Tokenizer tokenizer;
    private final ChatTemplate chatTemplate;
    private final String backendReason;

    private LoadedModel(GgufFile gguf, Backend backend, String backendReason) {
        this.gguf = gguf;
        this.backend = backend;
        this.backendReason = backendReason;
        this.model = LlamaModel.load(gguf, backend);
        this.tokenizer = Tokenizer.fromGguf(gguf);
        this.chatTemplate = ChatTemplate.of(gguf);
    }

    /**
     * Opens {@code path} on the configured backend ({@link BackendSelector}: CUDA when a device is there, else the
     * CPU with {@code threads} threads).
     */
    public static LoadedModel open(Path path, int threads) {
        GgufFile gguf = GgufFile.open(path);
        SelectedBackend selected;
        try {
            selected = BackendSelector.select(threads, gguf.getString("general.architecture", "llama"));
        } catch (RuntimeException e) {
            gguf.close();
            throw e;
        }
        Backend backend = selected.backend();
        try {
            return new LoadedModel(gguf, backend, selected.reason());
        } catch (RuntimeException e) {
            backend.close();
            gguf.close();
            throw e;
        }
    }

    public Path path() {
        return gguf.path();
    }

    public String name() {
        return gguf.getString("general.name", gguf.path().getFileName().toString());
    }

    /** The backend's description, e.g. {@code cpu (8 threads, 256-bit vectors)}. */
    public String backendName() {
        return backend.name();
    }

    /** Why this backend was chosen (and, on the CPU, why not CUDA). */
    public String backendReason() {
        return backendReason;
    }

    public LlamaModel model() {
        return model;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public ChatTemplate chatTemplate() {
        return chatTemplate;
    }

    @Override
    public void close() {
        backend.close();
        gguf.close();
    }
}
