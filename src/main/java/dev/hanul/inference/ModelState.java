package dev.hanul.inference;

/**
 * Where a model version is in its life: registered → (downloading →) loading → ready → draining → unloaded, or
 * failed with the reason. It loads in the background, so the HTTP API answers (readiness 503) while a large file is
 * downloaded or mapped.
 *
 * @param phase  what is happening
 * @param detail for humans: the download's progress, the file loaded, or why loading failed
 */
public record ModelState(Phase phase, String detail) {

    public enum Phase { REGISTERED, DOWNLOADING, LOADING, READY, DRAINING, UNLOADED, FAILED, STOPPED }
}
