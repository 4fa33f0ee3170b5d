package dev.hanul.monitoring;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import org.springframework.data.relational.core.query.Criteria;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * Which records of one tenant a query asks for; every field but the tenant is optional.
 *
 * @param model  matches the requested name or the answering version
 * @param rating {@code up}, {@code down} or {@code none} (no feedback yet)
 */
record InteractionFilter(String tenant, String api, String model, String finishReason, String rating, Instant from,
                         Instant to) {

    private static final Set<String> RATINGS = Set.of("up", "down", "none");

    static InteractionFilter of(String tenant, String api, String model, String finishReason, String rating,
            String from, String to) {
        if (rating != null && !RATINGS.contains(rating)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "rating must be up, down or none, got '"
                    + rating + "'.");
        }
        return new InteractionFilter(tenant, blank(api), blank(model), blank(finishReason), rating,
                instant("from", from), instant("to", to));
    }

    Criteria criteria() {
        Criteria criteria = Criteria.where("tenant").is(tenant);
        if (api != null) {
            criteria = criteria.and("api").is(api);
        }
        if (model != null) {
            criteria = criteria.and(Criteria.where("model_name").is(model).or("model_version").is(model));
        }
        if (finishReason != null) {
            criteria = criteria.and("finish_reason").is(finishReason);
        }
        if (rating != null) {
            criteria = rating.equals("none") ? criteria.and("feedback_rating").isNull()
                    : criteria.and("feedback_rating").is(rating);
        }
        if (from != null) {
            criteria = criteria.and("created_at").greaterThanOrEquals(from);
        }
        if (to != null) {
            criteria = criteria.and("created_at").lessThan(to);
        }
        return criteria;
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, name + " must be an ISO-8601 instant such as "
                    + "2026-01-31T00:00:00Z, got '" + value + "'.");
        }
    }
}
