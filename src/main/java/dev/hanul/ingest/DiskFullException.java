package dev.hanul.ingest;

import java.io.IOException;

/**
 * A document could not be written because the disk is full. Nothing of it was kept (the index went back to its last
 * commit), the service goes on, and the same upload succeeds once there is space again: the job entry says so
 * instead of reporting an internal error.
 */
class DiskFullException extends RuntimeException {

    DiskFullException(String documentId, IOException cause) {
        super(("The disk that holds the index is full (%s): nothing of document %s was kept. Free some space (or "
                + "move hanul.data-dir to a larger disk), then upload the document again.")
                .formatted(cause.getMessage(), documentId), cause);
    }

    /** Whether the failure, or one of its causes, is the operating system's "no space left on device". */
    static boolean isDiskFull(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException && t.getMessage() != null
                    && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains("no space left on device")) {
                return true;
            }
        }
        return false;
    }
}
