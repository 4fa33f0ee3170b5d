package dev.hanul.openai;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code stream_options}: with {@code include_usage} a last chunk before {@code [DONE]} carries the usage. */
public record StreamOptions(@JsonProperty("include_usage") Boolean includeUsage) {

    boolean usage() {
        return Boolean.TRUE.equals(includeUsage);
    }
}
