package dev.hanul.security;

import static dev.hanul.api.TestTenants.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Authentication on, as in production: real HTTP on a random port, keys made through the admin API and sent as
 * {@code Authorization: Bearer}, as OpenAI clients send them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hanul.data-dir=target/test-data/security",
        "hanul.security.enabled=true",
        "hanul.security.admin-key=" + SecurityApiTest.ADMIN_KEY,
        // The product's setting (the test suite's config shows details to all, as its tests run without keys).
        "management.endpoint.health.show-details=when-authorized"})
@AutoConfigureWebTestClient(timeout = "PT60S")
class SecurityApiTest {

    static final String ADMIN_KEY = "test-admin-key-0123456789abcdef0123456789";
    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    @Autowired
    WebTestClient http;

    @Test
    void noKeyIs401WithAJsonBodyThatSaysHowToAuthenticate() {
        http.get().uri("/api/documents").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueMatches(HttpHeaders.WWW_AUTHENTICATE, "Bearer.*")
                .expectBody()
                .jsonPath("$.status").isEqualTo(401)
                .jsonPath("$.message").value(m -> assertThat((String) m).contains("Authorization: Bearer"));
    }

    @Test
    void aWrongKeyIs401AndOpenAiClientsGetTheirErrorShape() {
        http.get().uri("/v1/models").header(HttpHeaders.AUTHORIZATION, "Bearer hanul_AAAAAAAA_"
                        + "B".repeat(40)).exchange()
                .expectStatus().isUnauthorized()
                .expectBody()
                .jsonPath("$.error.type").isEqualTo("authentication_error")
                .jsonPath("$.error.message").value(m -> assertThat((String) m).contains("not valid"));
        http.get().uri("/v1/models").exchange().expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.error.type").isEqualTo("authentication_error");
    }

    @Test
    void healthProbesStayOpenAndMetricsNeedAKeyForEveryTenant() {
        http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        // Without a model the overall health is DOWN (503), but it answers, key or not.
        http.get().uri("/actuator/health").exchange().expectStatus().value(status -> assertThat(status)
                .isIn(200, 503));
        http.get().uri("/actuator/prometheus").exchange().expectStatus().isUnauthorized();
        String tenantKey = createKey("user", newTenant());
        http.get().uri("/actuator/prometheus").header(HttpHeaders.AUTHORIZATION, "Bearer " + tenantKey).exchange()
                .expectStatus().isForbidden();
        String scraper = createKey("read-only", null);
        http.get().uri("/actuator/prometheus").header(HttpHeaders.AUTHORIZATION, "Bearer " + scraper)
                .accept(MediaType.TEXT_PLAIN).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).contains("jvm_memory_used_bytes"));
    }

    @Test
    void healthDetailsSuchAsServerPathsNeedAKey() {
        String anonymous = http.get().uri("/actuator/health").exchange().expectBody(String.class).returnResult()
                .getResponseBody();
        assertThat(anonymous).contains("\"status\"").doesNotContain("details").doesNotContain("test-data");
        http.get().uri("/actuator/health").header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_KEY).exchange()
                .expectBody().jsonPath("$.components.dataDirectory.details.path").isNotEmpty();
    }

    @Test
    void anotherTenantsDocumentIs404AndItsExistenceIsNotRevealed() {
        String owner = newTenant();
        String other = newTenant();
        String ownerKey = createKey("user", owner);
        String otherKey = createKey("user", other);
        ingest(ownerKey, "secret-plan", "The launch code is marmalade.");

        http.get().uri("/api/documents/secret-plan").header(HttpHeaders.AUTHORIZATION, "Bearer " + ownerKey)
                .exchange().expectStatus().isOk();
        String asOther = http.get().uri("/api/documents/secret-plan")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + otherKey).exchange()
                .expectStatus().isNotFound()
                .expectBody(String.class).returnResult().getResponseBody();
        String missing = http.get().uri("/api/documents/no-such-document")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + otherKey).exchange()
                .expectStatus().isNotFound()
                .expectBody(String.class).returnResult().getResponseBody();
        // The same answer as for a document that exists nowhere, but for the id in it.
        assertThat(asOther.replace("secret-plan", "ID")).isEqualTo(missing.replace("no-such-document", "ID"));
        assertThat(asOther).doesNotContain(owner);
        assertThat(documentIds(otherKey)).isEmpty();
        assertThat(documentIds(ownerKey)).containsExactly("secret-plan");
    }

    @Test
    void aHeaderNamingAnotherTenantIs403ForATenantKeyButChoosesForAnAdmin() {
        String owner = newTenant();
        String ownerKey = createKey("user", owner);
        ingest(ownerKey, "memo", "Quarterly numbers are up.");
        String other = newTenant();

        http.get().uri("/api/documents").header(HttpHeaders.AUTHORIZATION, "Bearer " + ownerKey)
                .header("X-Tenant-Id", other).exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.message").value(m -> assertThat((String) m)
                        .contains("acts for tenant '" + owner + "' only"));
        http.get().uri("/api/documents?tenant=" + other).header(HttpHeaders.AUTHORIZATION, "Bearer " + ownerKey)
                .exchange().expectStatus().isForbidden();
        // Naming its own tenant narrows nothing and is fine.
        http.get().uri("/api/documents/memo").header(HttpHeaders.AUTHORIZATION, "Bearer " + ownerKey)
                .header("X-Tenant-Id", owner).exchange().expectStatus().isOk();
        // A body field naming another tenant cannot widen either: the key's tenant is the header it disagrees with.
        http.post().uri("/api/search").header(HttpHeaders.AUTHORIZATION, "Bearer " + ownerKey)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"query\": \"numbers\", \"tenant\": \"" + other + "\"}")
                .exchange().expectStatus().is4xxClientError();
        // An admin key acts for the tenant the header names.
        http.get().uri("/api/documents/memo").header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_KEY)
                .header("X-Tenant-Id", owner).exchange().expectStatus().isOk();
    }

    @Test
    void aUserKeyOnTheAdminApiIs403() {
        String userKey = createKey("user", newTenant());
        http.get().uri("/api/admin/keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + userKey).exchange()
                .expectStatus().isForbidden()
                .expectBody().jsonPath("$.message").value(m -> assertThat((String) m)
                        .contains("needs an admin key"));
        http.post().uri("/api/admin/keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + userKey)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\": \"x\", \"role\": \"admin\"}")
                .exchange().expectStatus().isForbidden();
    }

    @Test
    void aRevokedKeyIs401AtOnce() {
        Map<String, Object> created = create("{\"name\": \"to revoke\", \"role\": \"user\", \"tenant\": \""
                + newTenant() + "\"}");
        String key = (String) created.get("key");
        String id = (String) ((Map<?, ?>) created.get("details")).get("id");
        http.get().uri("/api/documents").header(HttpHeaders.AUTHORIZATION, "Bearer " + key).exchange()
                .expectStatus().isOk();

        http.delete().uri("/api/admin/keys/{id}", id).header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_KEY)
                .exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.revokedAt").isNotEmpty();

        http.get().uri("/api/documents").header(HttpHeaders.AUTHORIZATION, "Bearer " + key).exchange()
                .expectStatus().isUnauthorized();
    }

    @Test
    void keysAreShownOnceStoredHashedAndListedByPrefix() {
        Map<String, Object> created = create("{\"name\": \"ci\", \"role\": \"read-only\", \"tenant\": \"acme\"}");
        String key = (String) created.get("key");
        Map<?, ?> details = (Map<?, ?>) created.get("details");
        assertThat(key).matches("hanul_[0-9A-Za-z]{8}_[0-9A-Za-z]{40}").startsWith((String) details.get("prefix"));
        assertThat(details.get("role")).isEqualTo("read-only");
        assertThat(details.get("tenant")).isEqualTo("acme");

        String listing = http.get().uri("/api/admin/keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_KEY)
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        assertThat(listing).contains((String) details.get("prefix")).doesNotContain(key)
                .doesNotContain(ApiKeySecrets.hash(key));
    }

    @Test
    void aReadOnlyKeyReadsAndSearchesButDoesNotWrite() {
        String tenant = newTenant();
        String reader = createKey("read-only", tenant);
        http.get().uri("/api/documents").header(HttpHeaders.AUTHORIZATION, "Bearer " + reader).exchange()
                .expectStatus().isOk();
        http.post().uri("/api/search").header(HttpHeaders.AUTHORIZATION, "Bearer " + reader)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"query\": \"anything\"}")
                .exchange().expectStatus().isOk();
        http.post().uri("/api/ingest/text").header(HttpHeaders.AUTHORIZATION, "Bearer " + reader)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"documents\": [{\"id\": \"x\", \"text\": \"hello\"}]}")
                .exchange().expectStatus().isForbidden()
                .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).contains("read and search"));
    }

    @Test
    void badKeyRequestsAre400NamingTheField() {
        http.post().uri("/api/admin/keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\": \"x\", \"role\": \"root\"}")
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).contains("role 'root'"));
        http.post().uri("/api/admin/keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\": \"x\", \"role\": \"admin\", \"tenant\": \"acme\"}")
                .exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(m -> assertThat((String) m).contains("admin key"));
        http.delete().uri("/api/admin/keys/nope").header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_KEY)
                .exchange().expectStatus().isNotFound();
    }

    @Test
    void securityHeadersAreSetOnEveryAnswer() {
        http.get().uri("/actuator/health").exchange()
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().valueEquals("X-Frame-Options", "DENY")
                .expectHeader().valueEquals("Referrer-Policy", "no-referrer")
                .expectHeader().valueMatches("Content-Security-Policy", ".*frame-ancestors 'none'.*");
        http.get().uri("/api/documents").exchange()
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff");
    }

    private void ingest(String key, String id, String text) {
        Map<String, Object> accepted = http.post().uri("/api/ingest/text")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + key).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"documents\": [{\"id\": \"" + id + "\", \"text\": \"" + text + "\"}]}")
                .exchange().expectStatus().isAccepted()
                .expectBody(JSON).returnResult().getResponseBody();
        String jobId = (String) accepted.get("jobId");
        Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() ->
                http.get().uri("/api/ingest/jobs/{id}", jobId).header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
                        .exchange().expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody()
                        .get("finishedAt") != null);
    }

    private List<String> documentIds(String key) {
        Map<String, Object> page = http.get().uri("/api/documents").header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
                .exchange().expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
        return ((List<?>) page.get("documents")).stream().map(d -> (String) ((Map<?, ?>) d).get("documentId")).toList();
    }

    @Test
    void recordsOfWhoDidWhatNameTheKeyNotItsHash() {
        // Both the configured admin key and a key made through the API: their names, as the records store them.
        String named = (String) create("{\"name\": \"eval-bot\", \"role\": \"admin\"}").get("key");
        for (var caller : Map.of(ADMIN_KEY, "hanul.security.admin-key", named, "eval-bot").entrySet()) {
            Map<String, Object> dataset = http.post().uri("/api/eval/datasets")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + caller.getKey())
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("name", "who", "tenant", newTenant(), "jsonl", "{\"question\": \"q?\"}"))
                    .exchange().expectStatus().isCreated()
                    .expectBody(JSON).returnResult().getResponseBody();
            assertThat(dataset).containsEntry("createdBy", caller.getValue());
        }
    }

    private String createKey(String role, String tenant) {
        return (String) create("{\"name\": \"test\", \"role\": \"" + role + "\""
                + (tenant == null ? "" : ", \"tenant\": \"" + tenant + "\"") + "}").get("key");
    }

    private Map<String, Object> create(String body) {
        return http.post().uri("/api/admin/keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isCreated()
                .expectBody(JSON).returnResult().getResponseBody();
    }
}
