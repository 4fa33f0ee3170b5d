package dev.hanul.finetune;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * OpenAI's file object, plus where the file sits among the tenant's datasets ({@code dataset}, {@code version}) and
 * how many examples it holds.
 */
record FileObject(String id, String object, long bytes, @JsonProperty("created_at") long createdAt, String filename,
                  String purpose, String status, String dataset, int version, String origin, int examples) {

    static FileObject of(TrainingFile file) {
        return new FileObject(file.id(), "file", file.bytes(), file.createdAt().getEpochSecond(), file.filename(),
                file.purpose(), "processed", file.dataset(), file.version(), file.origin(), file.examples());
    }
}
