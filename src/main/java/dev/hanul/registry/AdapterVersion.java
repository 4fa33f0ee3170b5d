package dev.hanul.registry;

import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.GenerationRequest;
import dev.hanul.engine.InferenceEngine;
import dev.hanul.engine.LoadedModel;
import dev.hanul.engine.chat.ChatTemplate;
import dev.hanul.engine.lora.LoraAdapter;
import dev.hanul.engine.tokenizer.Tokenizer;
import dev.hanul.inference.ModelInstance;
import java.util.concurrent.Flow;

/**
 * A LoRA adapter served as a version of its own: what a request that names the adapter, or an alias that points at
 * it (a canary split, a shadow), is routed to. It runs on its base version's engine, batched with the base's own
 * requests, and holds a lease on the base, so the base drains only after the adapter's last request; but it answers
 * to the adapter's name, so metrics, interaction records and shadow results say that the adapter answered.
 */
final class AdapterVersion implements ModelInstance {

    private final String name;
    private final ModelInstance base;
    private final LoraAdapter adapter;

    AdapterVersion(String name, ModelInstance base, LoraAdapter adapter) {
        this.name = name;
        this.base = base;
        this.adapter = adapter;
    }

    /** The adapter's name: an alias's target names it, and records of its answers carry it. */
    @Override
    public String id() {
        return name;
    }

    @Override
    public String name() {
        return name;
    }

    /** The version it runs on. */
    ModelInstance base() {
        return base;
    }

    @Override
    public LoadedModel model() {
        return base.model();
    }

    @Override
    public InferenceEngine engine() {
        return base.engine();
    }

    @Override
    public InferenceEngine localEngine() {
        return base.localEngine();
    }

    @Override
    public Tokenizer tokenizer() {
        return base.tokenizer();
    }

    @Override
    public ChatTemplate chatTemplate() {
        return base.chatTemplate();
    }

    @Override
    public int contextLength() {
        return base.contextLength();
    }

    @Override
    public int kvCapacityTokens() {
        return base.kvCapacityTokens();
    }

    @Override
    public int maxRunningSequences() {
        return base.maxRunningSequences();
    }

    @Override
    public int maxWaiting() {
        return base.maxWaiting();
    }

    /** The request with the adapter's weights, on the base's engine. */
    @Override
    public Flow.Publisher<GenerationEvent> submit(GenerationRequest request) {
        return base.submit(request.withAdapter(adapter));
    }

    @Override
    public Lease begin() {
        return base.begin();
    }
}
