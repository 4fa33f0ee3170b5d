package dev.hanul.security;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Buckets and counts in the PostgreSQL database that the replicas share, so a key's limits and usage are the same
 * whichever replica a request reaches. The buckets are Bucket4j's own PostgreSQL proxies: each operation reads and
 * writes the bucket's row under {@code SELECT … FOR UPDATE} in one transaction. The counts are one row per key,
 * added to with an upsert (Flyway's {@code V71__rate_limits.sql} makes both tables).
 */
final class PostgresLimitStore implements LimitStore, AutoCloseable {

    private static final String BUCKETS = "rate_limit_bucket";
    private static final String COUNTS = "rate_limit_usage";

    private final DataSource database;
    private final ProxyManager<String> proxies;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    PostgresLimitStore(DataSource database) {
        this.database = database;
        this.proxies = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(database)
                .primaryKeyMapper(PrimaryKeyMapper.STRING).table(BUCKETS).build();
    }

    @Override
    public Bucket bucket(String name, Bandwidth limit) {
        return buckets.computeIfAbsent(name, _ -> proxies.builder().build(name,
                () -> BucketConfiguration.builder().addLimit(limit).build()));
    }

    @Override
    public void count(String keyId, Counts added) {
        try (Connection connection = database.getConnection(); var upsert = connection.prepareStatement(
                "INSERT INTO " + COUNTS + " AS c (key_id, requests, rejected, prompt_tokens, completion_tokens) "
                        + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (key_id) DO UPDATE SET "
                        + "requests = c.requests + EXCLUDED.requests, rejected = c.rejected + EXCLUDED.rejected, "
                        + "prompt_tokens = c.prompt_tokens + EXCLUDED.prompt_tokens, "
                        + "completion_tokens = c.completion_tokens + EXCLUDED.completion_tokens")) {
            upsert.setString(1, keyId);
            upsert.setLong(2, added.requests());
            upsert.setLong(3, added.rejected());
            upsert.setLong(4, added.promptTokens());
            upsert.setLong(5, added.completionTokens());
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not count the API key's usage: " + e.getMessage(), e);
        }
    }

    @Override
    public Counts counts(String keyId) {
        try (Connection connection = database.getConnection(); var query = connection.prepareStatement(
                "SELECT requests, rejected, prompt_tokens, completion_tokens FROM " + COUNTS + " WHERE key_id = ?")) {
            query.setString(1, keyId);
            try (var row = query.executeQuery()) {
                return row.next() ? new Counts(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4))
                        : Counts.NONE;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the API key's usage: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean blocking() {
        return true;
    }

    /** Closes the connection pool (Spring calls it when the service stops). */
    @Override
    public void close() throws Exception {
        if (database instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
