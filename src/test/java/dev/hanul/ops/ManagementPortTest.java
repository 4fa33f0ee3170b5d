package dev.hanul.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * With {@code management.server.port} set, probes and metrics are served on a port of their own, by event-loop
 * threads of their own: a probe never waits behind the API's connections on a shared loop. Authentication is on, as
 * in production: the probes stay open there, the metrics need a key.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=target/test-data/management-port", "management.server.port=0",
                "hanul.security.enabled=true", "hanul.security.admin-key=" + ManagementPortTest.ADMIN_KEY})
class ManagementPortTest {

    static final String ADMIN_KEY = "management-port-test-admin-key-0123456789";

    @LocalServerPort
    int apiPort;

    @LocalManagementPort
    int managementPort;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void probesAnswerOnTheManagementPortFromItsOwnLoopThreads() throws Exception {
        assertThat(managementPort).isNotEqualTo(apiPort);

        assertThat(get(managementPort, "/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(get(managementPort, "/actuator/health/readiness").body()).contains("\"status\"");

        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .anyMatch(name -> name.startsWith(ManagementServerLoops.THREAD_PREFIX));
    }

    @Test
    void theApiPortNoLongerServesTheActuator() throws Exception {
        assertThat(get(apiPort, "/actuator/health/liveness").statusCode()).isEqualTo(404);
    }

    @Test
    void metricsOnTheManagementPortNeedAKey() throws Exception {
        // the same rules as on a shared port: probes are open, metrics need a key
        assertThat(get(managementPort, "/actuator/prometheus").statusCode()).isEqualTo(401);
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + managementPort + "/actuator/prometheus")).header("Authorization", "Bearer " + ADMIN_KEY).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("# TYPE jvm_memory_used_bytes gauge");
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
