package dev.hanul.engine.tokenizer;

/**
 * What a vocabulary entry is, as GGUF's {@code tokenizer.ggml.token_type} codes it (llama.cpp's llama_token_type). It
 * decides how a token is matched in text (control, user-defined and unknown tokens are matched whole, before the
 * model's own algorithm runs) and how it decodes.
 */
enum TokenType {
    UNDEFINED,
    NORMAL,
    UNKNOWN,
    CONTROL,
    USER_DEFINED,
    UNUSED,
    BYTE;

    private static final TokenType[] BY_CODE = values();

    static TokenType ofGgufCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNDEFINED;
    }

    /** Whether text equal to this token's text is split out before tokenizing, as llama.cpp's special-token cache. */
    boolean matchedWhole() {
        return this == CONTROL || this == USER_DEFINED || this == UNKNOWN;
    }

    /** Whether the token renders as nothing unless special tokens are rendered (llama.cpp's attr_special). */
    boolean hiddenWhenDecoding() {
        return this == CONTROL || this == UNKNOWN;
    }
}
