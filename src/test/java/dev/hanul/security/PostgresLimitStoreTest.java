package dev.hanul.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.hanul.replicas.HanulReplicas;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.stream.IntStream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Two stores on one PostgreSQL database, as two replicas: one bucket and one key's counts, whichever store is asked,
 * also when both consume at once. Needs {@code HANUL_TEST_POSTGRES_URL} (skipped with the reason without it).
 */
class PostgresLimitStoreTest {

    @Test
    void twoStoresOnOneDatabaseShareTheBucketAndTheCounts() throws Exception {
        var server = HanulReplicas.Postgres.fromEnvironment();
        var database = server.createDatabase("hanul_limits");
        // The service's schema, as Flyway makes it at the service's start.
        Flyway.configure().dataSource(database.url(), database.user(), database.password()).load().migrate();
        try (HikariDataSource first = pool(database); HikariDataSource second = pool(database)) {
            var a = new PostgresLimitStore(first);
            var b = new PostgresLimitStore(second);
            Bandwidth tenPerHour = Bandwidth.builder().capacity(10).refillGreedy(10, Duration.ofHours(1)).build();
            Bucket onA = a.bucket("key:requests:10", tenPerHour);
            Bucket onB = b.bucket("key:requests:10", tenPerHour);
            // 16 attempts at once, half through each store: exactly the capacity gets through.
            long consumed = IntStream.range(0, 16).parallel()
                    .filter(i -> (i % 2 == 0 ? onA : onB).tryConsume(1)).count();
            assertThat(consumed).isEqualTo(10);
            assertThat(onA.getAvailableTokens()).isZero();

            a.count("key", new LimitStore.Counts(1, 0, 5, 7));
            b.count("key", new LimitStore.Counts(2, 1, 0, 3));
            assertThat(b.counts("key")).isEqualTo(new LimitStore.Counts(3, 1, 5, 10));
            assertThat(a.counts("other")).isEqualTo(LimitStore.Counts.NONE);
        } finally {
            database.drop(server);
        }
    }

    private static HikariDataSource pool(HanulReplicas.Postgres database) {
        var pool = new HikariDataSource();
        pool.setJdbcUrl(database.url());
        pool.setUsername(database.user());
        pool.setPassword(database.password());
        pool.setMaximumPoolSize(4);
        return pool;
    }
}
