package dev.hanul.chat;

import static dev.hanul.api.TestTenants.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.inference.ModelInstance;
import dev.hanul.registry.ModelRegistry;
import dev.hanul.ingest.JobAccepted;
import dev.hanul.ingest.JobView;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

/**
 * Steps the chat tests repeat against the running service: ingest documents, ask over SSE or JSON. Subclasses start
 * the service with their model and their own data directory; each test works in a tenant of its own.
 */
abstract class ChatTestSupport {

    static final String TENANT = "X-Tenant-Id";
    static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> EVENT =
            new ParameterizedTypeReference<>() { };
    static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() { };

    @Autowired
    WebTestClient http;

    /** The engine behind the service, for tests that check what a request left behind. */
    @Autowired
    ModelRegistry registry;

    /** The version the default alias serves. */
    ModelInstance served() {
        return registry.route(null, null).primary();
    }

    /** Ingests text documents and waits until the job has indexed them all. */
    void ingest(String tenant, String documentsJson) {
        String jobId = http.post().uri("/api/ingest/text").header(TENANT, tenant)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(documentsJson)
                .exchange()
                .expectStatus().isAccepted()
                .expectBody(JobAccepted.class).returnResult().getResponseBody().jobId();
        JobView job = Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> http.get().uri("/api/ingest/jobs/{id}", jobId).header(TENANT, tenant).exchange()
                        .expectStatus().isOk()
                        .expectBody(JobView.class).returnResult().getResponseBody(), j -> j.finishedAt() != null);
        assertThat(job.status()).isEqualTo("COMPLETED");
    }

    /** The events of a streamed answer, as they came. */
    List<ServerSentEvent<Map<String, Object>>> stream(String tenant, String body) {
        return streaming(tenant, body).collectList().block(Duration.ofMinutes(2));
    }

    Flux<ServerSentEvent<Map<String, Object>>> streaming(String tenant, String body) {
        return http.post().uri("/api/chat").header(TENANT, tenant).accept(MediaType.TEXT_EVENT_STREAM)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
                .returnResult(EVENT).getResponseBody();
    }

    /** A non-streamed answer. */
    Map<String, Object> call(String tenant, String body) {
        return http.post().uri("/api/chat").header(TENANT, tenant)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange()
                .expectStatus().isOk()
                .expectBody(JSON).returnResult().getResponseBody();
    }

    /** The answer's text: its token events joined. */
    static String answer(List<ServerSentEvent<Map<String, Object>>> events) {
        var text = new StringBuilder();
        events.stream().filter(e -> "token".equals(e.event())).forEach(e -> text.append(e.data().get("text")));
        return text.toString();
    }

    static ServerSentEvent<Map<String, Object>> only(List<ServerSentEvent<Map<String, Object>>> events,
            String name) {
        List<ServerSentEvent<Map<String, Object>>> named = events.stream().filter(e -> name.equals(e.event()))
                .toList();
        assertThat(named).as("%s events", name).hasSize(1);
        return named.getFirst();
    }

    @SuppressWarnings("unchecked")
    static <T> T at(Map<String, Object> json, String... path) {
        Object value = json;
        for (String key : path) {
            value = ((Map<String, Object>) value).get(key);
        }
        return (T) value;
    }
}
