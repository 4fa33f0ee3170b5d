package dev.hanul.security;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Per-key token buckets (Bucket4j): requests per minute, refilled smoothly, and prompt plus completion tokens per day,
 * refilled once a day. A request is admitted while its key has a request left and its day's tokens are not used up;
 * a generation's tokens are charged when it ends, so the last one of a day may overrun the quota, and the next
 * request waits for the refill. Buckets live in this instance's memory.
 */
@Component
public class RateLimits {

    private final SecurityProperties.Limits defaults;
    private final Map<String, Meter> meters = new ConcurrentHashMap<>();

    RateLimits(SecurityProperties properties) {
        this.defaults = properties.limits();
    }

    /** Either admitted, or refused with how long to wait and why. */
    public sealed interface Admission {
        record Admitted() implements Admission {
        }

        record Refused(Duration retryAfter, String reason) implements Admission {
        }
    }

    public Admission admit(ApiKey key) {
        Meter meter = meter(key);
        if (meter.tokens != null && meter.tokens.getAvailableTokens() <= 0) {
            meter.rejected.incrementAndGet();
            long wait = meter.tokens.estimateAbilityToConsume(1).getNanosToWaitForRefill();
            return new Admission.Refused(Duration.ofNanos(wait), "The API key %s has used its %d tokens for today "
                    .formatted(key.prefix(), meter.tokensPerDay) + "(tokensPerDay). Retry after the Retry-After "
                    + "seconds, or ask an admin for a larger quota.");
        }
        if (meter.requests != null) {
            ConsumptionProbe probe = meter.requests.tryConsumeAndReturnRemaining(1);
            if (!probe.isConsumed()) {
                meter.rejected.incrementAndGet();
                return new Admission.Refused(Duration.ofNanos(probe.getNanosToWaitForRefill()), ("The API key %s "
                        + "sent more than %d requests in a minute (requestsPerMinute). Retry after the Retry-After "
                        + "seconds.").formatted(key.prefix(), meter.requestsPerMinute));
            }
        }
        meter.admitted.incrementAndGet();
        return new Admission.Admitted();
    }

    /** Charges a generation's tokens to the key. */
    public void charge(ApiKey key, int promptTokens, int completionTokens) {
        Meter meter = meter(key);
        meter.promptTokens.addAndGet(promptTokens);
        meter.completionTokens.addAndGet(completionTokens);
        if (meter.tokens != null) {
            meter.tokens.consumeIgnoringRateLimits(promptTokens + completionTokens);
        }
    }

    public KeyUsage usage(ApiKey key) {
        Meter meter = meters.get(key.id());
        if (meter == null) {
            meter = meter(key);
        }
        return new KeyUsage(meter.admitted.get(), meter.rejected.get(), meter.promptTokens.get(),
                meter.completionTokens.get(), meter.requests == null ? null : meter.requests.getAvailableTokens(),
                meter.tokens == null ? null : meter.tokens.getAvailableTokens());
    }

    private Meter meter(ApiKey key) {
        int requestsPerMinute = key.requestsPerMinute() != null ? key.requestsPerMinute()
                : key.role() == Role.ADMIN ? 0 : defaults.requestsPerMinute();
        long tokensPerDay = key.tokensPerDay() != null ? key.tokensPerDay()
                : key.role() == Role.ADMIN ? 0 : defaults.tokensPerDay();
        return meters.computeIfAbsent(key.id(), id -> new Meter(requestsPerMinute, tokensPerDay));
    }

    private static final class Meter {
        final int requestsPerMinute;
        final long tokensPerDay;
        final Bucket requests;
        final Bucket tokens;
        final AtomicLong admitted = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        final AtomicLong promptTokens = new AtomicLong();
        final AtomicLong completionTokens = new AtomicLong();

        Meter(int requestsPerMinute, long tokensPerDay) {
            this.requestsPerMinute = requestsPerMinute;
            this.tokensPerDay = tokensPerDay;
            this.requests = requestsPerMinute <= 0 ? null : Bucket.builder()
                    .addLimit(limit -> limit.capacity(requestsPerMinute)
                            .refillGreedy(requestsPerMinute, Duration.ofMinutes(1)))
                    .build();
            this.tokens = tokensPerDay <= 0 ? null : Bucket.builder()
                    .addLimit(limit -> limit.capacity(tokensPerDay).refillIntervally(tokensPerDay, Duration.ofDays(1)))
                    .build();
        }
    }
}
