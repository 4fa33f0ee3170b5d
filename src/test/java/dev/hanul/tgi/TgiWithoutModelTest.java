package dev.hanul.tgi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** While there is no model to serve, TGI clients get a 503 in TGI's error shape that says why. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "hanul.data-dir=target/test-data/tgi-no-model")
@AutoConfigureWebTestClient(timeout = "PT60S")
class TgiWithoutModelTest {

    @Autowired
    WebTestClient http;

    @Test
    void generateAnswers503InTgisShape() {
        for (String path : new String[] {"/generate", "/generate_stream"}) {
            http.post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue("{\"inputs\": \"Hello\"}")
                    .exchange()
                    .expectStatus().isEqualTo(503)
                    .expectBody()
                    .jsonPath("$.error_type").isEqualTo("healthcheck")
                    .jsonPath("$.error").value(String.class,
                            error -> assertThat(error).contains("model"));
        }
        http.get().uri("/info").exchange().expectStatus().isEqualTo(503);
    }
}
