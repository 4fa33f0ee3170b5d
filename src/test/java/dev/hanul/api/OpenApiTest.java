package dev.hanul.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The service describes its HTTP API in OpenAPI, and Swagger UI shows it. No model is needed for either. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "hanul.data-dir=target/test-data/openapi")
@AutoConfigureWebTestClient(timeout = "PT60S")
class OpenApiTest {

    @Autowired
    WebTestClient http;

    @Autowired
    ObjectMapper json;

    @Test
    void apiDocsListTheServicesEndpointsWithTheirMethods() {
        String body = http.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(String.class).returnResult().getResponseBody();
        JsonNode docs = json.readTree(body);

        assertThat(docs.get("openapi").asString()).startsWith("3.");
        JsonNode paths = docs.get("paths");
        assertThat(paths.get("/generate").has("post")).isTrue();
        assertThat(paths.get("/generate_stream").has("post")).isTrue();
        assertThat(paths.get("/info").has("get")).isTrue();
        assertThat(paths.get("/").has("post")).as("TGI's compat route").isTrue();
        assertThat(paths.get("/api/ingest").has("post")).isTrue();
        assertThat(paths.get("/api/ingest/text").has("post")).isTrue();
        assertThat(paths.get("/api/ingest/jobs/{id}").has("get")).isTrue();
        assertThat(paths.get("/api/search").has("post")).isTrue();
        assertThat(paths.get("/api/documents").has("get")).isTrue();
        assertThat(paths.get("/api/collections")).isNotNull();
        // TGI's parameter names, not the Java ones, so generated clients send what the endpoint reads.
        JsonNode parameters = docs.at("/components/schemas/Parameters/properties");
        assertThat(parameters.has("max_new_tokens")).isTrue();
        assertThat(parameters.has("maxNewTokens")).isFalse();
    }

    @Test
    void swaggerUiIsServed() {
        String page = http.get().uri("/webjars/swagger-ui/index.html").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        assertThat(page).contains("Swagger UI");
        http.get().uri("/swagger-ui.html").exchange()
                .expectStatus().is3xxRedirection()
                .expectHeader().value("Location", location -> assertThat(location).contains("swagger-ui"));
    }
}
