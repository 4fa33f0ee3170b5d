package dev.hanul.inference;

/**
 * Where the served model is in its life: it loads in the background after the service starts, so the HTTP API
 * answers (readiness 503) while a large file is downloaded or mapped.
 *
 * @param phase  what is happening
 * @param detail for humans: the download's progress, the file loaded, or why loading failed
 */
public record ModelState(Phase phase, String detail) {

    public enum Phase { DOWNLOADING, LOADING, READY, FAILED, STOPPED }
}
