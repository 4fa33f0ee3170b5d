package dev.hanul.engine.model;

/** Scratch memory for forward passes; one per thread that runs the model. */
public final class ForwardState {

    private final Activations activations;

    ForwardState(Activations activations) {
        this.activations = activations;
    }

    Activations activations() {
        return activations;
    }
}
