package dev.hanul.finetune;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** OpenAI's fine_tuning.job.event; metrics events carry the step's numbers in {@code data}. */
record EventObject(String id, String object, @JsonProperty("created_at") long createdAt, String level,
                   String message, String type, Map<String, Object> data) {
}
