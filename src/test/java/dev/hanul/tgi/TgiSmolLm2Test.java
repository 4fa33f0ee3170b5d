package dev.hanul.tgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** TGI's /generate with a real chat model: a right answer, ended by the model's end-of-turn token. */
class TgiSmolLm2Test extends SmolLm2Service {

    @Autowired
    ObjectMapper json;

    @Test
    void aChatPromptIsAnsweredAndEndsWithTheEndOfSequenceToken() {
        String body = http.post().uri("/generate").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("inputs", chatPrompt("What is the capital of France? Answer in one sentence."),
                        "parameters", Map.of("max_new_tokens", 60, "details", true)))
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        JsonNode answer = json.readTree(body);

        assertThat(answer.get("generated_text").asString()).contains("Paris");
        JsonNode details = answer.get("details");
        assertThat(details.get("finish_reason").asString()).isEqualTo("eos_token");
        JsonNode tokens = details.get("tokens");
        assertThat(tokens).hasSize(details.get("generated_tokens").asInt());
        JsonNode last = tokens.get(tokens.size() - 1);
        int imEnd = served().model().tokenizer().encode("<|im_end|>", true)[0];
        assertThat(last.get("id").asInt()).as("the end-of-turn token the model sampled").isEqualTo(imEnd);
        assertThat(last.get("text").asString()).isEqualTo("<|im_end|>");
        assertThat(last.get("special").asBoolean()).isTrue();
        assertThat(answer.get("generated_text").asString()).doesNotContain("<|im_end|>");
        assertThat(tokens.get(tokens.size() - 2).get("special").asBoolean()).isFalse();
    }
}
