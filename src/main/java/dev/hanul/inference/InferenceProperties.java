package dev.hanul.inference;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the inference façade treats every request, whichever model serves it, under {@code hanul.inference.}.
 *
 * @param requestTimeout     the longest a generation may run, queueing included, before it is cancelled
 * @param overloadRetryAfter what an overloaded model tells clients to wait (Retry-After, on every API)
 */
@ConfigurationProperties("hanul.inference")
public record InferenceProperties(
        @DefaultValue("10m") Duration requestTimeout,
        @DefaultValue("1s") Duration overloadRetryAfter) {
}
