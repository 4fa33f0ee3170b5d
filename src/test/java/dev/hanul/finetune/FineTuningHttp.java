package dev.hanul.finetune;

import java.time.Duration;
import java.util.List;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The fine-tuning API over real HTTP, in one tenant: uploads, jobs, events, as the tests use them. */
final class FineTuningHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final JsonMapper JSON_READER = JSON;

    final WebTestClient client;
    final String tenant;

    FineTuningHttp(int port, String tenant) {
        this.client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofMinutes(2)).build();
        this.tenant = tenant;
    }

    FineTuningHttp as(String otherTenant) {
        return new FineTuningHttp(client, otherTenant);
    }

    private FineTuningHttp(WebTestClient client, String tenant) {
        this.client = client;
        this.tenant = tenant;
    }

    /** POST /v1/files; the status and the JSON answer. */
    Answer upload(String filename, String content) {
        var parts = new MultipartBodyBuilder();
        parts.part("purpose", "fine-tune");
        parts.part("file", new ByteArrayResource(content.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            @Override
            public String getFilename() {
                return filename;
            }
        }).contentType(MediaType.APPLICATION_OCTET_STREAM);
        var result = client.post().uri("/v1/files").header("X-Tenant-Id", tenant)
                .contentType(MediaType.MULTIPART_FORM_DATA).bodyValue(parts.build()).exchange()
                .expectBody(String.class).returnResult();
        return new Answer(result.getStatus().value(), JSON.readTree(result.getResponseBody()));
    }

    String uploadOk(String filename, String content) {
        Answer answer = upload(filename, content);
        if (answer.status() != 200) {
            throw new AssertionError("upload refused: " + answer.body());
        }
        return answer.body().get("id").asString();
    }

    Answer post(String path, String json) {
        var result = client.post().uri(path).header("X-Tenant-Id", tenant).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json).exchange().expectBody(String.class).returnResult();
        return new Answer(result.getStatus().value(), JSON.readTree(result.getResponseBody()));
    }

    Answer put(String path, String json) {
        var result = client.put().uri(path).header("X-Tenant-Id", tenant).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json).exchange().expectBody(String.class).returnResult();
        return new Answer(result.getStatus().value(), JSON.readTree(result.getResponseBody()));
    }

    /** A POST whose answer may be plain text (vLLM's LoRA endpoints): its status only. */
    int postStatus(String path, String json) {
        return client.post().uri(path).header("X-Tenant-Id", tenant).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json).exchange().expectBody(String.class).returnResult().getStatus().value();
    }

    /** A greedy chat completion of one user message; {@code user} is the routing key (null for none). */
    JsonNode chat(String model, String question, int maxTokens, String user) {
        return ok(post("/v1/chat/completions", """
                {"model": "%s", "messages": [{"role": "user", "content": "%s"}], "max_tokens": %d,
                 "temperature": 0%s}""".formatted(model, question, maxTokens,
                user == null ? "" : ", \"user\": \"" + user + "\"")));
    }

    /** The text of {@link #chat}'s answer. */
    String chatText(String model, String question, int maxTokens, String user) {
        return chat(model, question, maxTokens, user).at("/choices/0/message/content").asString();
    }

    Answer get(String path) {
        var result = client.get().uri(path).header("X-Tenant-Id", tenant).exchange().expectBody(String.class)
                .returnResult();
        String body = result.getResponseBody();
        return new Answer(result.getStatus().value(), body == null ? null : JSON.readTree(body));
    }

    Answer delete(String path) {
        var result = client.delete().uri(path).header("X-Tenant-Id", tenant).exchange().expectBody(String.class)
                .returnResult();
        return new Answer(result.getStatus().value(), JSON.readTree(result.getResponseBody()));
    }

    JsonNode job(String id) {
        return ok(get("/v1/fine_tuning/jobs/" + id));
    }

    /** Every event of a job, oldest first (the API pages newest first). */
    List<JsonNode> events(String id) {
        JsonNode page = ok(get("/v1/fine_tuning/jobs/" + id + "/events?limit=1000"));
        List<JsonNode> events = new java.util.ArrayList<>();
        page.get("data").forEach(events::add);
        return events.reversed();
    }

    static JsonNode ok(Answer answer) {
        if (answer.status() != 200) {
            throw new AssertionError("HTTP " + answer.status() + ": " + answer.body());
        }
        return answer.body();
    }

    static JsonNode okStatus(Answer answer, int status) {
        if (answer.status() != status) {
            throw new AssertionError("HTTP " + answer.status() + ": " + answer.body());
        }
        return answer.body();
    }

    record Answer(int status, JsonNode body) {
    }
}
