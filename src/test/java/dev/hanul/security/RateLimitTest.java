package dev.hanul.security;

import static dev.hanul.api.TestTenants.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.TestModels;
import dev.hanul.inference.ServedTestModel;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Per-key limits on a running service with stories260K: requests per minute and tokens per day, each a 429 with
 * Retry-After once used up, and the usage an admin sees per key.
 */
@ServedTestModel(TestModels.STORIES)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hanul.data-dir=target/test-data/rate-limits",
        "hanul.model.threads=1",
        "hanul.security.enabled=true",
        "hanul.security.admin-key=" + SecurityApiTest.ADMIN_KEY})
@AutoConfigureWebTestClient(timeout = "PT60S")
class RateLimitTest {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    @Autowired
    WebTestClient http;

    @Test
    void requestsBeyondTheKeysLimitPerMinuteAre429WithRetryAfter() {
        Map<String, Object> created = create("{\"name\": \"slow\", \"role\": \"user\", \"tenant\": \"" + newTenant()
                + "\", \"requestsPerMinute\": 3}");
        String key = (String) created.get("key");
        for (int i = 0; i < 3; i++) {
            http.get().uri("/v1/models").header(HttpHeaders.AUTHORIZATION, "Bearer " + key).exchange()
                    .expectStatus().isOk();
        }
        http.get().uri("/v1/models").header(HttpHeaders.AUTHORIZATION, "Bearer " + key).exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().value(HttpHeaders.RETRY_AFTER, seconds -> assertThat(Long.parseLong(seconds))
                        .isBetween(1L, 60L))
                .expectBody()
                .jsonPath("$.error.type").isEqualTo("rate_limit_error")
                .jsonPath("$.error.message").value(m -> assertThat((String) m).contains("requestsPerMinute"));
        http.get().uri("/api/documents").header(HttpHeaders.AUTHORIZATION, "Bearer " + key).exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().exists(HttpHeaders.RETRY_AFTER)
                .expectBody().jsonPath("$.status").isEqualTo(429);

        Map<String, Object> usage = usage(id(created));
        assertThat(usage).containsEntry("requests", 3).containsEntry("rejected", 2)
                .containsEntry("requestsLeftThisMinute", 0);
    }

    @Test
    void generationsAreChargedToTheKeyAndTheDaysQuotaEndsWithA429() {
        Map<String, Object> created = create("{\"name\": \"quota\", \"role\": \"user\", \"tenant\": \"" + newTenant()
                + "\", \"tokensPerDay\": 20}");
        String key = (String) created.get("key");
        Map<String, Object> completion = complete(key, false);
        Map<?, ?> reported = (Map<?, ?>) completion.get("usage");

        Map<String, Object> usage = usage(id(created));
        assertThat(usage.get("promptTokens")).isEqualTo(reported.get("prompt_tokens"));
        assertThat(usage.get("completionTokens")).isEqualTo(16);
        assertThat(((Number) usage.get("tokensLeftToday")).longValue())
                .isEqualTo(20L - ((Number) reported.get("total_tokens")).longValue()).isNegative();

        http.post().uri("/v1/completions").header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"prompt\": \"Once upon a time\", \"max_tokens\": 4}")
                .exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().value(HttpHeaders.RETRY_AFTER, seconds -> assertThat(Long.parseLong(seconds))
                        .isGreaterThan(3600L))
                .expectBody().jsonPath("$.error.message").value(m -> assertThat((String) m).contains("tokensPerDay"));
    }

    @Test
    void streamedGenerationsAreChargedToo() {
        Map<String, Object> created = create("{\"name\": \"stream\", \"role\": \"user\", \"tenant\": \"" + newTenant()
                + "\"}");
        complete((String) created.get("key"), true);
        assertThat(usage(id(created)).get("completionTokens")).isEqualTo(16);
        assertThat(((Number) usage(id(created)).get("promptTokens")).intValue()).isPositive();
    }

    private Map<String, Object> complete(String key, boolean stream) {
        var spec = http.post().uri("/v1/completions").header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"prompt\": \"Once upon a time\", \"max_tokens\": 16, \"ignore_eos\": true, "
                        + "\"temperature\": 0, \"stream\": " + stream + "}")
                .exchange().expectStatus().isOk();
        if (stream) {
            assertThat(spec.expectBody(String.class).returnResult().getResponseBody()).contains("[DONE]");
            return Map.of();
        }
        return spec.expectBody(JSON).returnResult().getResponseBody();
    }

    private Map<String, Object> usage(String id) {
        Map<String, Object> key = http.get().uri("/api/admin/keys/{id}", id)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + SecurityApiTest.ADMIN_KEY).exchange()
                .expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
        @SuppressWarnings("unchecked")
        Map<String, Object> usage = (Map<String, Object>) key.get("usage");
        return usage;
    }

    private static String id(Map<String, Object> created) {
        return (String) ((Map<?, ?>) created.get("details")).get("id");
    }

    private Map<String, Object> create(String body) {
        return http.post().uri("/api/admin/keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + SecurityApiTest.ADMIN_KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isCreated()
                .expectBody(JSON).returnResult().getResponseBody();
    }
}
