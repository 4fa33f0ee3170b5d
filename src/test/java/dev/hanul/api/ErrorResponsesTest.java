package dev.hanul.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Mistakes a client makes, and failures of the service, get a JSON body that says what went wrong. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "hanul.data-dir=target/test-data/errors")
@AutoConfigureWebTestClient(timeout = "PT60S")
@Import(ErrorResponsesTest.FailingEndpoints.class)
class ErrorResponsesTest {

    /** Endpoints that fail the two ways real ones will: a reported problem and a bug. */
    @RestController
    static class FailingEndpoints {

        @GetMapping("/test/conflict")
        String conflict() {
            throw new ResponseStatusException(HttpStatus.CONFLICT,
                    "Document d1 is still being ingested; retry when its job has finished.");
        }

        @GetMapping("/test/bug")
        String bug() {
            throw new IllegalStateException("internal detail that must not reach clients");
        }
    }

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
                .expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(405)
                .jsonPath("$.error").isEqualTo("Method Not Allowed")
                .jsonPath("$.message").value(String.class, message -> assertThat(message)
                        .startsWith("DELETE is not supported at /actuator/health. Use one of ")
                        .contains("GET"))
                .jsonPath("$.path").isEqualTo("/actuator/health");
    }

    @Test
    void reportedProblemKeepsItsStatusAndMessage() {
        http.get().uri("/test/conflict").exchange()
                .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectBody()
                .jsonPath("$.status").isEqualTo(409)
                .jsonPath("$.error").isEqualTo("Conflict")
                .jsonPath("$.message").isEqualTo(
                        "Document d1 is still being ingested; retry when its job has finished.")
                .jsonPath("$.path").isEqualTo("/test/conflict");
    }

    @Test
    void bugGivesServerErrorWithoutInternals() {
        http.get().uri("/test/bug").exchange()
                .expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR)
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(500)
                .jsonPath("$.error").isEqualTo("Internal Server Error")
                .jsonPath("$.message").value(String.class, message -> assertThat(message)
                        .startsWith("Unexpected error while handling GET /test/bug (request ")
                        .contains("the server log has the details")
                        .doesNotContain("internal detail"));
    }
}
