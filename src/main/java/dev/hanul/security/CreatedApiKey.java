package dev.hanul.security;

/** The answer to creating a key: the key itself, shown this once and never again, and how it is listed. */
public record CreatedApiKey(String key, ApiKeyView details) {
}
