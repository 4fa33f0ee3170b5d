package dev.hanul.security;

import dev.hanul.api.Tenants;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.springframework.data.domain.Sort;
import org.springframework.data.r2dbc.core.R2dbcEntityTemplate;
import org.springframework.data.relational.core.query.Criteria;
import org.springframework.data.relational.core.query.Query;
import org.springframework.data.relational.core.query.Update;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Creates, finds and revokes API keys. Every authentication reads the key's row, so a revoked key fails on the very
 * next request, on every instance that shares the database.
 */
@Service
public class ApiKeyStore {

    private final R2dbcEntityTemplate database;

    ApiKeyStore(R2dbcEntityTemplate database) {
        this.database = database;
    }

    /** A new key, or a 400 that names the field at fault. */
    public Mono<CreatedKey> create(NewApiKey request) {
        ApiKey checked;
        ApiKeySecrets.NewSecret secret = ApiKeySecrets.generate();
        try {
            checked = check(request, secret);
        } catch (IllegalArgumentException e) {
            return Mono.error(new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage()));
        }
        return database.insert(checked).map(stored -> new CreatedKey(stored, secret.key()));
    }

    /** A key with its secret, as {@link #create} makes it. */
    public record CreatedKey(ApiKey key, String secret) {
    }

    /** The key that the text is, when it is a key that exists and is not revoked. */
    public Mono<ApiKey> authenticate(String presented) {
        return ApiKeySecrets.idOf(presented)
                .map(id -> database.selectOne(Query.query(Criteria.where("id").is(id)), ApiKey.class)
                        .filter(key -> !key.revoked() && ApiKeySecrets.matches(presented, key.secretHash())))
                .orElse(Mono.empty());
    }

    public Flux<ApiKey> list() {
        return database.select(Query.empty().sort(Sort.by("created_at", "id")), ApiKey.class);
    }

    public Mono<ApiKey> find(String id) {
        return database.selectOne(Query.query(Criteria.where("id").is(id)), ApiKey.class)
                .switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    /** Revokes the key; revoking a revoked key again changes nothing. */
    public Mono<ApiKey> revoke(String id) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return find(id).flatMap(key -> key.revoked() ? Mono.just(key)
                : database.update(ApiKey.class).matching(Query.query(Criteria.where("id").is(id)
                                .and("revoked_at").isNull()))
                        .apply(Update.update("revoked_at", now)).then(find(id)));
    }

    /** Whether any admin key in the database still works (the configured one is not in the database). */
    public Mono<Boolean> hasActiveAdmin() {
        // Filtered here, not in SQL: a criterion on the enum column binds the enum itself, which H2's driver refuses.
        return database.select(Query.query(Criteria.where("revoked_at").isNull()), ApiKey.class)
                .any(key -> key.role() == Role.ADMIN);
    }

    private static ApiKey check(NewApiKey request, ApiKeySecrets.NewSecret secret) {
        if (request == null) {
            throw new IllegalArgumentException("Send a JSON body such as {\"name\": \"ci\", \"role\": \"user\", "
                    + "\"tenant\": \"acme\"}.");
        }
        String name = request.name() == null ? "" : request.name().strip();
        if (name.isEmpty() || name.length() > 128) {
            throw new IllegalArgumentException("name is required: 1 to 128 characters that say what the key is for.");
        }
        if (request.role() == null) {
            throw new IllegalArgumentException("role is required: one of admin, user, read-only.");
        }
        Role role = Role.of(request.role());
        String tenant = request.tenant() == null || request.tenant().isBlank() ? null : request.tenant().strip();
        if (role == Role.ADMIN && tenant != null) {
            throw new IllegalArgumentException("tenant must be left out for an admin key: admin keys act for every "
                    + "tenant. Create a user key to act for '" + tenant + "' only.");
        }
        if (tenant != null) {
            try {
                tenant = Tenants.resolve(null, tenant);
            } catch (ResponseStatusException e) {
                throw new IllegalArgumentException("tenant: " + e.getReason());
            }
        }
        if (request.requestsPerMinute() != null && request.requestsPerMinute() < 0) {
            throw new IllegalArgumentException("requestsPerMinute must be 0 (no limit) or more, got "
                    + request.requestsPerMinute() + ".");
        }
        if (request.tokensPerDay() != null && request.tokensPerDay() < 0) {
            throw new IllegalArgumentException("tokensPerDay must be 0 (no quota) or more, got "
                    + request.tokensPerDay() + ".");
        }
        return new ApiKey(secret.id(), name, role, tenant, ApiKeySecrets.hash(secret.key()),
                request.requestsPerMinute(), request.tokensPerDay(), Instant.now().truncatedTo(ChronoUnit.MILLIS),
                null);
    }

    private static ResponseStatusException notFound(String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "No API key with id '" + id
                + "'. GET /api/admin/keys lists the keys (the id is the part after 'hanul_' in the prefix).");
    }
}
