package dev.hanul.chat;

import static dev.hanul.api.TestTenants.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.api.ApiError;
import dev.hanul.engine.TestModels;
import dev.hanul.inference.InferenceFailure;
import dev.hanul.inference.ServedTestModel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Flux;

/**
 * How a native chat stream fails. Before its first event the response can still say what went wrong with its status
 * (here every generation runs past a 1 ms request timeout: 504 with the JSON error body, no events). After it, the
 * status is sent: the stream ends with an {@code error} event that carries that body, instead of a connection that
 * just closes.
 */
@ServedTestModel(TestModels.STORIES)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hanul.data-dir=target/test-data/chat-stream-failure", "hanul.model.threads=1",
        "hanul.inference.request-timeout=1ms"})
@AutoConfigureWebTestClient(timeout = "PT60S")
class ChatStreamFailureTest extends ChatTestSupport {

    @Test
    void aStreamThatFailsSaysSo() {
        var response = http.post().uri("/api/chat").header(TENANT, newTenant())
                .contentType(MediaType.APPLICATION_JSON).bodyValue("""
                        {"messages": [{"role": "user", "content": "Tell me a long story."}],
                         "retrieval": {"enabled": false}, "sampling": {"maxTokens": 400}}""")
                .exchange().expectBody(String.class).returnResult();
        String body = response.getResponseBody();
        // before anything was sent the status says it; once the response is committed, the last event does
        if (response.getStatus().value() == 200) {
            assertThat(body).contains("event:error").contains("\"status\":504");
        } else {
            assertThat(response.getStatus().value()).isEqualTo(504);
        }
        assertThat(body).contains("hanul.inference.request-timeout");
    }

    @Test
    void aFailureAfterTheFirstEventIsTheStreamsLastEvent() {
        var exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/api/chat"));
        Flux<ServerSentEvent<Object>> answer = Flux.concat(
                Flux.just(ServerSentEvent.<Object>builder(new ChatEvent.Token("Once")).event("token").build()),
                Flux.error(new InferenceFailure.TimedOut(Duration.ofSeconds(1))));

        List<ServerSentEvent<Object>> events = ChatController.endingInErrorEvent(answer, exchange).collectList()
                .block(Duration.ofSeconds(10));

        assertThat(events).extracting(ServerSentEvent::event).containsExactly("token", "error");
        ApiError error = (ApiError) events.getLast().data();
        assertThat(error.status()).isEqualTo(504);
        assertThat(error.path()).isEqualTo("/api/chat");
        assertThat(error.message()).contains("hanul.inference.request-timeout");
    }
}
