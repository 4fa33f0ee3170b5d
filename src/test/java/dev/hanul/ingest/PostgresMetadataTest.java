package dev.hanul.ingest;

import static dev.hanul.api.TestTenants.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The metadata database on a real PostgreSQL server: the Flyway migration, and ingest, re-ingest, list and delete
 * through the API. The server is, in order: the one HANUL_TEST_POSTGRES_URL names (a JDBC URL, with
 * HANUL_TEST_POSTGRES_USER and HANUL_TEST_POSTGRES_PASSWORD; .ci/run starts one from Debian's postgresql package),
 * else a Testcontainers container when Docker runs; without either the test is skipped. Only
 * {@code spring.r2dbc.*} is set, so this also checks that Flyway finds the same database by itself.
 */
@EnabledIf(value = "serverAvailable", disabledReason = "No PostgreSQL server to test against: set "
        + "HANUL_TEST_POSTGRES_URL (.ci/run does when Debian's postgresql package is installed) or run Docker for "
        + "Testcontainers")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "PT60S")
class PostgresMetadataTest {

    private static String jdbcUrl;
    private static String user;
    private static String password;
    private static PostgreSQLContainer container;

    @Autowired
    WebTestClient http;

    /** The condition of {@link EnabledIf}: evaluated before the Spring context, which needs the server. */
    static boolean serverAvailable() {
        return hasConfiguredServer() || DockerClientFactory.instance().isDockerAvailable();
    }

    private static boolean hasConfiguredServer() {
        String url = System.getenv("HANUL_TEST_POSTGRES_URL");
        return url != null && !url.isBlank();
    }

    @BeforeAll
    static void findServer() {
        if (hasConfiguredServer()) {
            jdbcUrl = System.getenv("HANUL_TEST_POSTGRES_URL");
            user = Objects.requireNonNullElse(System.getenv("HANUL_TEST_POSTGRES_USER"), "postgres");
            password = Objects.requireNonNullElse(System.getenv("HANUL_TEST_POSTGRES_PASSWORD"), "");
            return;
        }
        container = new PostgreSQLContainer("postgres:17-alpine");
        container.start();
        jdbcUrl = container.getJdbcUrl();
        user = container.getUsername();
        password = container.getPassword();
    }

    @AfterAll
    static void stopContainer() {
        if (container != null) {
            container.stop();
        }
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.r2dbc.url", () -> "r2dbc:" + jdbcUrl.substring("jdbc:".length()));
        registry.add("spring.r2dbc.username", () -> user);
        registry.add("spring.r2dbc.password", () -> password);
        registry.add("hanul.data-dir", () -> "target/test-data/postgres");
    }

    @Test
    void ingestionMetadataLivesInPostgres() throws SQLException {
        String tenant = newTenant();
        String body = "{\"documents\": [{\"id\": \"pg-doc\", \"text\": \"PostgreSQL keeps the metadata.\"}]}";
        String jobId = ingest(tenant, body);
        JobView job = awaitJob(tenant, jobId);
        assertThat(job.status()).isEqualTo("COMPLETED");
        assertThat(countRows("SELECT count(*) FROM stored_document WHERE tenant = ?", tenant)).isEqualTo(1);
        assertThat(countRows("SELECT count(*) FROM stored_chunk c JOIN stored_document d ON c.document_key = d.id "
                + "WHERE d.tenant = ?", tenant)).isEqualTo(1);

        assertThat(awaitJob(tenant, ingest(tenant, body)).progress().unchangedDocuments()).isEqualTo(1);
        http.get().uri("/api/documents").header("X-Tenant-Id", tenant).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.documents[0].documentId").isEqualTo("pg-doc");
        http.delete().uri("/api/documents/pg-doc").header("X-Tenant-Id", tenant).exchange()
                .expectStatus().isNoContent();
        assertThat(countRows("SELECT count(*) FROM stored_document WHERE tenant = ?", tenant)).isZero();
        assertThat(countRows("SELECT count(*) FROM stored_chunk c JOIN stored_document d ON c.document_key = d.id "
                + "WHERE d.tenant = ?", tenant)).isZero();
    }

    private String ingest(String tenant, String body) {
        return http.post().uri("/api/ingest/text").header("X-Tenant-Id", tenant)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isAccepted()
                .expectBody(JobAccepted.class).returnResult().getResponseBody().jobId();
    }

    private JobView awaitJob(String tenant, String jobId) {
        return Awaitility.await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> http.get().uri("/api/ingest/jobs/{id}", jobId).header("X-Tenant-Id", tenant).exchange()
                        .expectStatus().isOk().expectBody(JobView.class).returnResult().getResponseBody(),
                        job -> job.finishedAt() != null);
    }

    private static long countRows(String sql, String tenant) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, tenant);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
