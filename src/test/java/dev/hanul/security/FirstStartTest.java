package dev.hanul.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The first start as a new user has it: auth on, no admin key configured. The service starts, makes its one-time
 * admin key (printed in the log) and asks every request for a key.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hanul.data-dir=target/test-data/security-first-start", "hanul.security.enabled=true"})
@AutoConfigureWebTestClient(timeout = "PT60S")
class FirstStartTest {

    @Autowired
    WebTestClient http;

    @Autowired
    ApiKeyStore keys;

    @Test
    void theFirstStartMakesAnAdminKeyAndRequiresKeys() {
        assertThat(keys.hasActiveAdmin().block()).isTrue();
        http.get().uri("/api/documents").exchange().expectStatus().isUnauthorized();
        http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    }
}
