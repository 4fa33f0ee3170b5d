package dev.hanul.engine.model;

import dev.hanul.engine.backend.Backend;

/** Scratch memory for forward passes; one per thread that runs the model. */
public final class ForwardState {

    private final Activations activations;
    private LoraScratch lora;

    ForwardState(Activations activations) {
        this.activations = activations;
    }

    Activations activations() {
        return activations;
    }

    /** LoRA scratch for adapters of up to {@code rank}, made on first use. */
    LoraScratch lora(Backend backend, LlamaConfig config, int rank) {
        if (lora == null || lora.rank < rank) {
            lora = new LoraScratch(backend, config, activations.tokenCapacity, rank);
        }
        return lora;
    }
}
