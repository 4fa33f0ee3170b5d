package dev.hanul.collections;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The plain vector-database face over HTTP: create, upsert, get, filtered query, delete, drop. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hanul.data-dir=target/test-data/collections",
        "hanul.ingest.max-file-size=2MB",
        "hanul.ingest.max-request-size=16MB"})
@AutoConfigureWebTestClient(timeout = "PT60S")
class CollectionsApiTest {

    @Autowired
    WebTestClient http;

    @Test
    void aCollectionStoresQueriesAndDeletesVectors() {
        String name = "c" + UUID.randomUUID().toString().substring(0, 8);
        post("/api/collections", "{\"name\": \"" + name + "\", \"dimension\": 3, \"similarity\": \"euclidean\"}")
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.similarity").isEqualTo("euclidean").jsonPath("$.count").isEqualTo(0);
        post("/api/collections/" + name + "/vectors", """
                {"vectors": [
                  {"id": "a", "vector": [0, 0, 0], "metadata": {"color": "red", "size": 1}},
                  {"id": "b", "vector": [1, 0, 0], "metadata": {"color": "blue", "size": 2}},
                  {"id": "c", "vector": [5, 5, 5], "metadata": {"color": "red", "size": 3}}]}""")
                .expectStatus().isOk().expectBody().jsonPath("$.upserted").isEqualTo(3);

        post("/api/collections/" + name + "/query", "{\"vector\": [0.9, 0, 0], \"topK\": 2}")
                .expectStatus().isOk()
                .expectBody().jsonPath("$.matches[0].id").isEqualTo("b").jsonPath("$.matches[1].id").isEqualTo("a");
        post("/api/collections/" + name + "/query", "{\"vector\": [0.9, 0, 0], \"topK\": 2, "
                + "\"filters\": {\"color\": \"red\", \"size\": {\"gte\": 2}}}")
                .expectStatus().isOk()
                .expectBody().jsonPath("$.matches.length()").isEqualTo(1).jsonPath("$.matches[0].id").isEqualTo("c");
        http.get().uri("/api/collections/" + name + "/vectors/c").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.vector[2]").isEqualTo(5.0).jsonPath("$.metadata.color").isEqualTo("red");

        http.delete().uri("/api/collections/" + name + "/vectors/c").exchange().expectStatus().isNoContent();
        http.get().uri("/api/collections/" + name + "/vectors/c").exchange().expectStatus().isNotFound();
        http.get().uri("/api/collections/" + name).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.count").isEqualTo(2);
        http.delete().uri("/api/collections/" + name).exchange().expectStatus().isNoContent();
        http.get().uri("/api/collections/" + name).exchange().expectStatus().isNotFound();
    }

    @Test
    void mistakesAreExplained() {
        String name = "m" + UUID.randomUUID().toString().substring(0, 8);
        post("/api/collections", "{\"name\": \"" + name + "\", \"dimension\": 2}").expectStatus().isCreated();
        post("/api/collections", "{\"name\": \"" + name + "\", \"dimension\": 2}")
                .expectStatus().isEqualTo(HttpStatus.CONFLICT);
        post("/api/collections", "{\"name\": \"bad name!\", \"dimension\": 2}")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(String.class, message -> assertThat(message)
                        .contains("must be 1 to 64 letters"));
        post("/api/collections", "{\"name\": \"x\", \"dimension\": 2, \"similarity\": \"manhattan\"}")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(String.class, message -> assertThat(message)
                        .contains("similarity 'manhattan' is not known"));
        post("/api/collections/" + name + "/vectors", "{\"vectors\": [{\"id\": \"a\", \"vector\": [1, 2, 3]}]}")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.message").value(String.class, message -> assertThat(message)
                        .contains("dimension"));
        post("/api/collections/nope-" + name + "/query", "{\"vector\": [1, 2]}")
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.message").value(String.class, message -> assertThat(message)
                        .contains("POST /api/collections creates one"));
        http.delete().uri("/api/collections/" + name).exchange().expectStatus().isNoContent();
    }

    private WebTestClient.ResponseSpec post(String path, String json) {
        return http.post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange();
    }
}
