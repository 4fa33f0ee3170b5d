package dev.hanul.api;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Mistakes a client makes get a JSON body that says what went wrong and how to fix it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "hanul.data-dir=target/test-data")
@AutoConfigureWebTestClient
class ErrorResponsesTest {

    @Autowired
    WebTestClient http;

    @Test
    void unknownPathGivesJsonNotFound() {
        http.get().uri("/no/such/path").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(404)
                .jsonPath("$.error").isEqualTo("Not Found")
                .jsonPath("$.message").isEqualTo(
                        "Nothing is served at GET /no/such/path. Check the path and the method for typos.")
                .jsonPath("$.path").isEqualTo("/no/such/path");
    }

    @Test
    void browsersGetJsonToo() {
        http.get().uri("/no/such/page").accept(MediaType.TEXT_HTML).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(404);
    }

    @Test
    void wrongMethodSaysWhichMethodsWork() {
        http.delete().uri("/actuator/health").exchange()
                .expectStatus().isEqualTo(405)
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(405)
                .jsonPath("$.error").isEqualTo("Method Not Allowed")
                .jsonPath("$.message").value(message -> org.assertj.core.api.Assertions.assertThat((String) message)
                        .startsWith("DELETE is not supported at /actuator/health. Use one of ")
                        .contains("GET"))
                .jsonPath("$.path").isEqualTo("/actuator/health");
    }
}
