package dev.hanul.chat;

import static dev.hanul.api.TestTenants.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.TestModels;
import dev.hanul.inference.ServedTestModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.codec.ServerSentEvent;

/**
 * A native chat stream that fails after its response has begun (here: every generation runs past a 1 ms request
 * timeout) cannot change its status any more; it ends with an {@code error} event that carries the JSON body the
 * failure would have had as a response, instead of a connection that just closes.
 */
@ServedTestModel(TestModels.STORIES)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "hanul.data-dir=target/test-data/chat-stream-failure", "hanul.model.threads=1",
        "hanul.inference.request-timeout=1ms"})
@AutoConfigureWebTestClient(timeout = "PT60S")
class ChatStreamFailureTest extends ChatTestSupport {

    @Test
    void aFailureAfterTheStreamBeganIsItsLastEvent() {
        List<ServerSentEvent<Map<String, Object>>> events = stream(newTenant(), """
                {"messages": [{"role": "user", "content": "Tell me a long story."}],
                 "retrieval": {"enabled": false}, "sampling": {"maxTokens": 400}}""");

        assertThat(events).isNotEmpty();
        ServerSentEvent<Map<String, Object>> last = events.getLast();
        assertThat(last.event()).isEqualTo("error");
        assertThat(last.data()).containsEntry("status", 504).containsEntry("path", "/api/chat");
        assertThat((String) last.data().get("message")).contains("hanul.inference.request-timeout");
        assertThat(events).extracting(ServerSentEvent::event).doesNotContain("done");
    }
}
