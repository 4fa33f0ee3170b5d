package dev.hanul.ingest.text;

/**
 * A document that cannot be ingested as it is (corrupt, encrypted, no text, too long). The message is the reason the
 * job reports for it, written for the person who uploaded it; the other documents of the job go on.
 */
public class UnprocessableDocumentException extends RuntimeException {

    public UnprocessableDocumentException(String reason) {
        super(reason);
    }

    public UnprocessableDocumentException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
