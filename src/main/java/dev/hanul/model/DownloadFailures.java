package dev.hanul.model;

import dev.hanul.model.ModelDownloadException.Reason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns what the HTTP client and the file system throw into a {@link ModelDownloadException} that says, in words,
 * what went wrong and what to do. The JDK's own exceptions often carry no message at all (an unresolved host is a
 * {@code ConnectException} with a null message around an {@code UnresolvedAddressException}), so the cause chain is
 * read here, once, instead of printing "null" to a user.
 */
final class DownloadFailures {

    /** Room kept free beyond the file itself, so a download does not fill the disk the database lives on. */
    private static final long SPARE_BYTES = 64L << 20;

    private DownloadFailures() {
    }

    /** What a user without network can do, for the failures a retry alone will not fix. */
    static String waysOut(Path target) {
        return "To start without this download: serve a GGUF file you have (`bin/hanul serve --model FILE`); or "
                + "download it on a connected machine (`bin/hanul model pull NAME`) and copy it to " + target
                + "; or set HF_ENDPOINT (or hanul.model.endpoint) to a mirror this machine can reach";
    }

    static ModelDownloadException connecting(URI source, Path target, IOException e) {
        String host = source.getHost() + (source.getPort() > 0 ? ":" + source.getPort() : "");
        if (has(e, UnresolvedAddressException.class) || has(e, UnknownHostException.class)) {
            return new ModelDownloadException(Reason.HOST_NOT_FOUND, source, target,
                    "the host " + source.getHost() + " could not be resolved (no DNS answer: this machine looks "
                            + "offline, or the name is wrong)", waysOut(target), e);
        }
        String what;
        if (e instanceof HttpConnectTimeoutException) {
            what = "connecting to " + host + " timed out (no network, or a firewall drops the connection)";
        } else if (has(e, ConnectException.class) || has(e, NoRouteToHostException.class)) {
            what = "could not connect to " + host + " (" + describe(e) + ": no network, nothing listening there, "
                    + "or a firewall in the way)";
        } else if (e instanceof HttpTimeoutException) {
            what = "the server at " + host + " did not answer in time";
        } else {
            what = "the connection to " + host + " failed (" + describe(e) + ")";
        }
        return new ModelDownloadException(Reason.NO_NETWORK, source, target, what, waysOut(target), e);
    }

    static ModelDownloadException httpStatus(URI source, Path target, int status) {
        String what = "the server answered HTTP " + status;
        String todo = switch (status) {
            case 401, 403 -> "The repository needs a login or an accepted licence on the hub. Accept it there, "
                    + "download the file with your account and serve it with `bin/hanul serve --model FILE`";
            case 404 -> "The repository or file name is wrong, or the file was removed. Check the name "
                    + "(`bin/hanul model list` shows the catalog); " + waysOut(target);
            case 429, 500, 502, 503, 504 -> "The hub is unavailable right now: try again later (restart the service "
                    + "or run `bin/hanul model pull` again; the download resumes). " + waysOut(target);
            default -> waysOut(target);
        };
        return new ModelDownloadException(Reason.HTTP_STATUS, source, target, what, todo, null);
    }

    static ModelDownloadException connectionLost(URI source, Path target, long have, long total, IOException e) {
        String progress = total > 0 ? "%d of %d MB".formatted(have >> 20, total >> 20) : (have >> 20) + " MB";
        String what = "the connection broke after " + progress + (e != null ? " (" + describe(e) + ")" : "");
        return new ModelDownloadException(Reason.CONNECTION_LOST, source, target, what,
                "What arrived is kept in " + target.getFileName() + ".part: restart the service or run "
                        + "`bin/hanul model pull` again and the download resumes where it stopped", e);
    }

    static ModelDownloadException checksumMismatch(URI source, Path target, String actual, String expected) {
        return new ModelDownloadException(Reason.CHECKSUM_MISMATCH, source, target,
                "the file has SHA-256 " + actual + ", expected " + expected + "; it was deleted",
                "Run the download again; if it fails the same way, the expected checksum (the catalog entry or "
                        + "hanul.model.sha256) or the mirror is wrong", null);
    }

    static void requireSpace(URI source, Path target, long remaining) {
        if (remaining <= 0) {
            return;
        }
        Path directory = target.toAbsolutePath().getParent();
        long usable;
        try {
            usable = Files.getFileStore(directory).getUsableSpace();
        } catch (IOException unknown) {
            return; // the write itself will say so if the disk is full
        }
        if (usable < remaining + SPARE_BYTES) {
            throw diskFull(source, target, "it needs %d MB more but %s has %d MB free"
                    .formatted(remaining >> 20, directory, usable >> 20), null);
        }
    }

    static ModelDownloadException local(URI source, Path target, IOException e) {
        if (String.valueOf(e.getMessage()).contains("No space left")) {
            return diskFull(source, target, "the disk under " + target.toAbsolutePath().getParent() + " is full", e);
        }
        return new ModelDownloadException(Reason.LOCAL_IO, source, target,
                "writing " + target + " failed (" + describe(e) + ")",
                "Check that the directory is writable, or point hanul.data-dir (--data-dir) elsewhere", e);
    }

    static ModelDownloadException interrupted(URI source, Path target, InterruptedException e) {
        return new ModelDownloadException(Reason.INTERRUPTED, source, target, "it was interrupted",
                "Start it again and it resumes where it stopped", e);
    }

    private static ModelDownloadException diskFull(URI source, Path target, String what, IOException e) {
        return new ModelDownloadException(Reason.DISK_FULL, source, target, what,
                "Free some space, or point hanul.data-dir (--data-dir) at a disk with room", e);
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The first message in the cause chain with its exception's name, or the innermost name when none has one. */
    private static String describe(Throwable e) {
        Throwable innermost = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            innermost = t;
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getClass().getSimpleName() + ": " + t.getMessage();
            }
        }
        return innermost.getClass().getSimpleName();
    }
}
