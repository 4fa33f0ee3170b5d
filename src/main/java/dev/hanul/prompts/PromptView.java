package dev.hanul.prompts;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A prompt template as the API shows it: its versions, oldest first, and where its labels point.
 *
 * @param labels label → {@code 3}, or a split such as {@code 3:90,4:10}
 */
public record PromptView(String name, List<Version> versions, Map<String, String> labels) {

    public record Version(int version, String message, String createdBy, Instant createdAt) {
    }
}
