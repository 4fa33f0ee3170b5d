package dev.hanul.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** While the served model is not there (here: never, the test settings name a missing file), /v1 answers 503. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "hanul.data-dir=target/test-data/openai-without-model")
class OpenAiWithoutModelTest {

    @LocalServerPort
    int port;

    @Test
    void completionsAreUnavailableWithAnOpenAiError() {
        var http = new OpenAiHttp(port);
        HttpResponse<String> response = http.post("/v1/chat/completions", """
                {"messages": [{"role": "user", "content": "hi"}]}""");
        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode error = OpenAiHttp.json(response.body()).get("error");
        assertThat(error.get("type").asString()).isEqualTo("server_error");
        assertThat(error.get("code").asString()).isEqualTo("service_unavailable");
        assertThat(error.get("message").asString()).contains("hanul.model");
    }

    @Test
    void embeddingsAndTheModelListStillWork() {
        var http = new OpenAiHttp(port);
        assertThat(http.get("/v1/models").statusCode()).isEqualTo(200);
        assertThat(http.post("/v1/embeddings", "{\"input\": \"hello\"}").statusCode()).isEqualTo(200);
    }
}
