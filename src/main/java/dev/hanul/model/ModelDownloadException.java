package dev.hanul.model;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A model download that failed, with what is needed to act on it: the address, what went wrong in words, and what to
 * do about it. The message says all three, so the log line, the readiness detail and an API error are the same text;
 * {@link #reason()} lets code tell the cases apart, and the original exception stays the cause.
 */
public final class ModelDownloadException extends RuntimeException {

    /** What went wrong, in the terms a user can act on. */
    public enum Reason {
        /** The host's name could not be resolved: usually no network, or no DNS (an offline machine). */
        HOST_NOT_FOUND,
        /** The host was found but could not be reached (refused, timed out, no route). */
        NO_NETWORK,
        /** The server answered with an error status. */
        HTTP_STATUS,
        /** The connection broke during the transfer; what arrived is kept for a resume. */
        CONNECTION_LOST,
        /** The file arrived but its SHA-256 is not the expected one; it was deleted. */
        CHECKSUM_MISMATCH,
        /** The disk has no room for the file. */
        DISK_FULL,
        /** The download was interrupted (the service was stopped). */
        INTERRUPTED,
        /** Reading or writing a local file failed for another reason. */
        LOCAL_IO,
    }

    private final Reason reason;
    private final URI source;
    private final Path target;

    ModelDownloadException(Reason reason, URI source, Path target, String what, String todo, Throwable cause) {
        super("Downloading %s failed: %s. %s".formatted(source, what, todo), cause);
        this.reason = Objects.requireNonNull(reason);
        this.source = source;
        this.target = target;
    }

    public Reason reason() {
        return reason;
    }

    /** The address that was downloaded from. */
    public URI source() {
        return source;
    }

    /** Where the file was to go. */
    public Path target() {
        return target;
    }
}
