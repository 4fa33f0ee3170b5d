package dev.hanul.security;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Picks where rate limits are kept: with PostgreSQL (the database replicas share) in PostgreSQL, through a small JDBC
 * pool of its own on the database Flyway migrates ({@code spring.flyway.url}, derived from {@code spring.r2dbc.url});
 * with the embedded H2 database, which only one process can open, in memory, where they are exact and cost nothing.
 */
@Configuration(proxyBeanMethods = false)
class LimitStores {

    private static final Logger log = LoggerFactory.getLogger(LimitStores.class);
    /** Admissions are short transactions; a few connections serve many requests a second. */
    private static final int POOL_SIZE = 4;

    @Bean
    LimitStore limitStore(Environment environment) {
        String url = environment.getProperty("spring.flyway.url");
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            return new MemoryLimitStore();
        }
        var pool = new HikariDataSource();
        pool.setPoolName("hanul-rate-limits");
        pool.setJdbcUrl(url);
        pool.setUsername(environment.getProperty("spring.flyway.user"));
        pool.setPassword(environment.getProperty("spring.flyway.password"));
        pool.setMaximumPoolSize(POOL_SIZE);
        log.info("Rate limits and key usage are kept in PostgreSQL, shared by every replica on this database");
        return new PostgresLimitStore(pool);
    }
}
