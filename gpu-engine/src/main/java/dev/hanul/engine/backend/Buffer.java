package dev.hanul.engine.backend;

/** Activation memory owned by a backend (host arrays on the CPU, device memory on a GPU), in floats. */
public interface Buffer {

    int size();
}
