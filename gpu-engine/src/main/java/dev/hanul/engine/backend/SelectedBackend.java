package dev.hanul.engine.backend;

/** The backend a model runs on and why that one: shown in logs and health. */
public record SelectedBackend(Backend backend, String reason) {
}
