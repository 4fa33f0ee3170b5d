package dev.hanul.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.HanulApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Hanul services in child JVMs on loopback, as replicas behind a balancer: each with a data directory of its own
 * under the test's work directory and its log next to it, and a throw-away PostgreSQL database they share. The tests
 * of replicas ({@code ReplicasTest}, {@code ReplicatedStateTest}) start them through this class.
 */
public final class HanulReplicas {

    private HanulReplicas() {
    }

    /**
     * The PostgreSQL server of the test run ({@code HANUL_TEST_POSTGRES_URL}, {@code _USER}, {@code _PASSWORD}; .ci/run
     * starts one from Debian's postgresql package); the test is skipped with the reason without one.
     */
    public record Postgres(String url, String user, String password) {

        public static Postgres fromEnvironment() {
            String url = System.getenv("HANUL_TEST_POSTGRES_URL");
            Assumptions.assumeTrue(url != null && !url.isBlank(), "No PostgreSQL server for the replicas: set "
                    + "HANUL_TEST_POSTGRES_URL (.ci/run starts one when Debian's postgresql package is installed)");
            return new Postgres(url, Objects.requireNonNullElse(System.getenv("HANUL_TEST_POSTGRES_USER"), "postgres"),
                    Objects.requireNonNullElse(System.getenv("HANUL_TEST_POSTGRES_PASSWORD"), ""));
        }

        /** A new, empty database on the same server, named with {@code prefix} and a random part. */
        public Postgres createDatabase(String prefix) throws SQLException {
            String name = prefix + "_" + Integer.toUnsignedString(ThreadLocalRandom.current().nextInt(), 36);
            execute("CREATE DATABASE " + name);
            return new Postgres(withDatabase(url, name), user, password);
        }

        /** Drops this database, with a message rather than an exception when it cannot (left on the test server). */
        public void drop(Postgres server) {
            try {
                server.execute("DROP DATABASE IF EXISTS " + name() + " WITH (FORCE)");
            } catch (SQLException e) {
                // A failure here must not hide the test's own.
                System.err.println("Could not drop the test database " + name() + ": " + e.getMessage());
            }
        }

        public Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, password);
        }

        public void execute(String statement) throws SQLException {
            try (Connection connection = connect(); var sql = connection.createStatement()) {
                sql.execute(statement);
            }
        }

        /** The service's settings for this database. */
        public List<String> serviceArguments() {
            return List.of("--spring.r2dbc.url=r2dbc:" + url.substring("jdbc:".length()),
                    "--spring.r2dbc.username=" + user, "--spring.r2dbc.password=" + password);
        }

        private String name() {
            int query = url.indexOf('?');
            String path = query < 0 ? url : url.substring(0, query);
            return path.substring(path.lastIndexOf('/') + 1);
        }

        /** The same server's JDBC URL with another database name. */
        private static String withDatabase(String jdbcUrl, String database) {
            int query = jdbcUrl.indexOf('?');
            String path = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
            return path.substring(0, path.lastIndexOf('/') + 1) + database
                    + (query < 0 ? "" : jdbcUrl.substring(query));
        }
    }

    /**
     * Starts replica {@code replica} on {@code port} with its data directory under {@code work} and the settings in
     * {@code arguments}; its output goes to {@link #log}.
     */
    public static Process start(Path work, int replica, int port, List<String> arguments) throws IOException {
        Path dataDir = Files.createDirectories(work.resolve("replica-" + replica));
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx768m",
                "-cp", System.getProperty("java.class.path"),
                HanulApplication.class.getName(),
                "--server.port=" + port, "--hanul.data-dir=" + dataDir));
        command.addAll(arguments);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log(work, replica).toFile())
                .start();
    }

    /** Where replica {@code replica}'s output goes: next to the work directory, so it outlives a failed test. */
    public static Path log(Path work, int replica) {
        return work.resolveSibling(work.getFileName() + "-replica-" + replica + ".log");
    }

    /** Waits until the replica answers its readiness probe; fails at once when its process has ended. */
    public static void awaitReady(Process process, Path work, int replica, URI url) {
        WebTestClient http = client(url);
        Awaitility.await("replica " + replica + " ready").atMost(Duration.ofMinutes(6))
                .pollInterval(Duration.ofMillis(500)).ignoreExceptionsMatching(e -> !(e instanceof AssertionError))
                .until(() -> {
                    assertThat(process.isAlive()).as("replica %d is running (see %s)", replica, log(work, replica))
                            .isTrue();
                    return http.get().uri("/actuator/health/readiness").exchange()
                            .returnResult(String.class).getStatus().is2xxSuccessful();
                });
    }

    /** Ends the replicas (SIGKILL) and waits for them. */
    public static void killAll(List<Process> replicas) throws InterruptedException {
        for (Process replica : replicas) {
            replica.destroyForcibly();
        }
        for (Process replica : replicas) {
            replica.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    public static WebTestClient client(URI url) {
        return WebTestClient.bindToServer().baseUrl(url.toString()).responseTimeout(Duration.ofSeconds(60)).build();
    }

    public static URI freeAddress() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }
}
