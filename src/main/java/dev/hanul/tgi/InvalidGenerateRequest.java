package dev.hanul.tgi;

/** A TGI request that cannot be served as sent: 422 with error_type "validation", as TGI answers. */
class InvalidGenerateRequest extends RuntimeException {

    InvalidGenerateRequest(String message) {
        super(message);
    }
}
