package dev.hanul.tgi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.TestModels;
import dev.hanul.inference.ServedTestModel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * TGI's /generate, /generate_stream, the compat route POST / and /info over real HTTP, served by stories260K: the shapes TGI clients parse,
 * finish reasons, stop sequences, seeds, and TGI's errors for bad input. stories260K ends its stories with BOS, not
 * EOS, so generations ending on the end-of-sequence token are tested with SmolLM2 ({@link TgiSmolLm2Test}).
 */
@ServedTestModel(TestModels.STORIES)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=target/test-data/tgi", "hanul.model.threads=1"})
@AutoConfigureWebTestClient(timeout = "PT60S")
class TgiApiTest {

    static final String PROMPT = "Once upon a time";

    @Autowired
    WebTestClient http;

    @Autowired
    ObjectMapper json;

    @Test
    void generateAnswersTextAndDetailsInTgisShape() {
        JsonNode body = generate(Map.of("inputs", PROMPT,
                "parameters", Map.of("max_new_tokens", 20, "details", true, "do_sample", false)));

        assertThat(body.get("generated_text").asString()).isNotBlank();
        JsonNode details = body.get("details");
        assertThat(details.get("finish_reason").asString()).isIn("length", "eos_token");
        assertThat(details.get("seed").isNull()).as("greedy decoding has no seed").isTrue();
        assertThat(details.get("prefill").isArray()).isTrue();
        assertThat(details.get("prefill")).isEmpty();
        assertThat(details.has("top_tokens")).as("left out unless top_n_tokens is asked").isFalse();
        JsonNode tokens = details.get("tokens");
        assertThat(tokens).hasSize(details.get("generated_tokens").asInt());
        StringBuilder text = new StringBuilder();
        for (JsonNode token : tokens) {
            assertThat(token.get("id").isInt()).isTrue();
            assertThat(token.get("text").isString()).isTrue();
            assertThat(token.has("logprob")).isTrue();
            assertThat(token.get("special").isBoolean()).isTrue();
            if (!token.get("special").asBoolean()) {
                assertThat(token.get("logprob").asDouble()).isLessThanOrEqualTo(0);
                text.append(token.get("text").asString());
            }
        }
        assertThat(text.toString()).isEqualTo(body.get("generated_text").asString());
    }

    @Test
    void withoutDetailsOnlyTheTextComesBack() {
        JsonNode body = generate(Map.of("inputs", PROMPT, "parameters", Map.of("max_new_tokens", 5)));

        assertThat(body.properties()).extracting(Map.Entry::getKey).containsExactly("generated_text");
    }

    @Test
    void maxNewTokensEndsWithLength() {
        JsonNode details = generate(Map.of("inputs", PROMPT,
                "parameters", Map.of("max_new_tokens", 3, "details", true))).get("details");

        assertThat(details.get("finish_reason").asString()).isEqualTo("length");
        assertThat(details.get("generated_tokens").asInt()).isEqualTo(3);
        assertThat(details.get("tokens")).hasSize(3);
    }

    @Test
    void theStreamHasOneEventPerTokenAndTheLastCarriesTextAndDetails() {
        Map<String, Object> request = Map.of("inputs", PROMPT,
                "parameters", Map.of("max_new_tokens", 30, "details", true));
        String expected = generate(request).get("generated_text").asString();

        List<JsonNode> events = stream(request);

        JsonNode last = events.getLast();
        JsonNode details = last.get("details");
        assertThat(events).hasSize(details.get("generated_tokens").asInt());
        assertThat(details.properties()).extracting(Map.Entry::getKey)
                .containsExactly("finish_reason", "generated_tokens", "seed", "input_length");
        assertThat(details.get("input_length").asInt()).isGreaterThan(1);
        StringBuilder text = new StringBuilder();
        for (JsonNode event : events) {
            assertThat(event.get("index").asInt()).isZero();
            JsonNode token = event.get("token");
            assertThat(token.properties()).extracting(Map.Entry::getKey)
                    .containsExactly("id", "text", "logprob", "special");
            if (!token.get("special").asBoolean()) {
                text.append(token.get("text").asString());
            }
            if (event != last) {
                assertThat(event.get("generated_text").isNull()).isTrue();
                assertThat(event.get("details").isNull()).isTrue();
            }
        }
        assertThat(last.get("generated_text").asString()).isEqualTo(text.toString()).isEqualTo(expected);
    }

    @Test
    void aStopSequenceEndsTheTextBeforeIt() {
        String full = generate(Map.of("inputs", PROMPT,
                "parameters", Map.of("max_new_tokens", 40))).get("generated_text").asString();
        String[] words = full.strip().split(" ");
        String stop = " " + words[3];
        String before = full.substring(0, full.indexOf(stop));

        JsonNode body = generate(Map.of("inputs", PROMPT,
                "parameters", Map.of("max_new_tokens", 40, "stop", List.of(stop), "details", true)));
        List<JsonNode> events = stream(Map.of("inputs", PROMPT,
                "parameters", Map.of("max_new_tokens", 40, "stop", List.of(stop))));

        assertThat(body.get("generated_text").asString()).isEqualTo(before);
        assertThat(body.get("details").get("finish_reason").asString()).isEqualTo("stop_sequence");
        JsonNode last = events.getLast();
        assertThat(last.get("details").get("finish_reason").asString()).isEqualTo("stop_sequence");
        assertThat(last.get("generated_text").asString()).isEqualTo(before);
        assertThat(events).hasSize(last.get("details").get("generated_tokens").asInt());
    }

    @Test
    void aSeedReproducesASample() {
        Map<String, Object> seeded = Map.of("inputs", PROMPT, "parameters",
                Map.of("do_sample", true, "temperature", 1.5, "seed", 42, "max_new_tokens", 30, "details", true));
        JsonNode first = generate(seeded);
        JsonNode second = generate(seeded);
        List<JsonNode> streamed = stream(seeded);

        assertThat(first.get("details").get("seed").asLong()).isEqualTo(42);
        assertThat(second.get("generated_text")).isEqualTo(first.get("generated_text"));
        assertThat(streamed.getLast().get("generated_text")).isEqualTo(first.get("generated_text"));
        assertThat(streamed.getLast().get("details").get("seed").asLong()).isEqualTo(42);
    }

    @Test
    void samplingWithoutASeedReportsTheSeedItDrewAndThatSeedReproducesIt() {
        JsonNode drawn = generate(Map.of("inputs", PROMPT, "parameters",
                Map.of("do_sample", true, "temperature", 1.5, "max_new_tokens", 30, "details", true)));
        long seed = drawn.get("details").get("seed").asLong();

        JsonNode again = generate(Map.of("inputs", PROMPT, "parameters",
                Map.of("do_sample", true, "temperature", 1.5, "max_new_tokens", 30, "seed", seed)));

        assertThat(again.get("generated_text")).isEqualTo(drawn.get("generated_text"));
    }

    @Test
    void topNTokensListsTheMostLikelyAlternatives() {
        JsonNode details = generate(Map.of("inputs", PROMPT, "parameters",
                Map.of("max_new_tokens", 4, "details", true, "top_n_tokens", 3))).get("details");
        List<JsonNode> events = stream(Map.of("inputs", PROMPT, "parameters",
                Map.of("max_new_tokens", 4, "top_n_tokens", 3)));

        assertThat(details.get("top_tokens")).hasSize(4);
        for (JsonNode alternatives : details.get("top_tokens")) {
            assertThat(alternatives).hasSize(3);
            assertThat(alternatives.get(0).get("logprob").asDouble())
                    .isGreaterThanOrEqualTo(alternatives.get(2).get("logprob").asDouble());
        }
        // Greedy: the chosen token is the most likely one.
        assertThat(details.get("tokens").get(0).get("id")).isEqualTo(details.get("top_tokens").get(0).get(0).get("id"));
        assertThat(events).allSatisfy(event -> assertThat(event.get("top_tokens")).hasSize(3));
    }

    @Test
    void returnFullTextPrependsTheInputs() {
        JsonNode plain = generate(Map.of("inputs", PROMPT, "parameters", Map.of("max_new_tokens", 5)));
        JsonNode full = generate(Map.of("inputs", PROMPT,
                "parameters", Map.of("max_new_tokens", 5, "return_full_text", true)));

        assertThat(full.get("generated_text").asString())
                .isEqualTo(PROMPT + plain.get("generated_text").asString());
    }

    @Test
    void truncateKeepsTheEndOfTheInput() {
        List<JsonNode> events = stream(Map.of("inputs", PROMPT + " there was a little girl named Lily.",
                "parameters", Map.of("max_new_tokens", 2, "truncate", 4)));

        assertThat(events.getLast().get("details").get("input_length").asInt()).isEqualTo(4);
    }

    @Test
    void theCompatRouteAnswersInAnArrayOrStreamsByTheStreamFlagWithTheFullTextByDefault() {
        Map<String, Object> parameters = Map.of("max_new_tokens", 8, "do_sample", false, "details", true);
        JsonNode generated = generate(Map.of("inputs", PROMPT, "parameters", parameters));
        String text = generated.get("generated_text").asString();

        JsonNode answer = json.readTree(http.post().uri("/").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("inputs", PROMPT, "parameters", parameters))
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_JSON)
                .expectBody(String.class).returnResult().getResponseBody());
        List<JsonNode> events = stream("/", Map.of("inputs", PROMPT, "parameters", parameters, "stream", true));
        JsonNode partOnly = json.readTree(http.post().uri("/").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("inputs", PROMPT, "parameters", Map.of("max_new_tokens", 8, "do_sample", false,
                        "return_full_text", false), "stream", false))
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());

        assertThat(answer.isArray()).isTrue();
        assertThat(answer).hasSize(1);
        assertThat(answer.get(0).get("generated_text").asString()).isEqualTo(PROMPT + text);
        assertThat(answer.get(0).get("details").get("tokens")).isEqualTo(generated.get("details").get("tokens"));
        JsonNode last = events.getLast();
        assertThat(events).hasSize(last.get("details").get("generated_tokens").asInt());
        assertThat(last.get("generated_text").asString()).isEqualTo(PROMPT + text);
        assertThat(partOnly.get(0).get("generated_text").asString()).isEqualTo(text);
        http.post().uri("/").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"inputs\":\"\",\"stream\":true}")
                .exchange()
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.error_type").isEqualTo("validation");
    }

    @Test
    void infoDescribesTheModelAndItsLimits() {
        http.get().uri("/info").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.model_id").isEqualTo("stories260K-f32")
                .jsonPath("$.model_pipeline_tag").isEqualTo("text-generation")
                .jsonPath("$.max_best_of").isEqualTo(1)
                .jsonPath("$.max_stop_sequences").isEqualTo(4)
                .jsonPath("$.max_input_tokens").isEqualTo(511)
                .jsonPath("$.max_total_tokens").isEqualTo(512)
                .jsonPath("$.max_concurrent_requests").isNumber()
                .jsonPath("$.version").isNotEmpty();
    }

    @Test
    void aGrammarHoldsTheOutputToAJsonSchemaOrARegex() {
        String schema = "{\"type\": \"object\", \"properties\": {\"name\": {\"type\": \"string\", \"maxLength\": 10}, "
                + "\"happy\": {\"type\": \"boolean\"}}, \"required\": [\"name\", \"happy\"]}";
        for (long seed = 1; seed <= 3; seed++) {
            String text = generate(Map.of("inputs", "Once upon a time", "parameters", Map.of("do_sample", true,
                    "seed", seed, "max_new_tokens", 80, "grammar", Map.of("type", "json", "value",
                            json.readTree(schema))))).get("generated_text").asString();
            JsonNode object = json.readTree(text);
            assertThat(object.get("name").isString()).as(text).isTrue();
            assertThat(object.get("happy").isBoolean()).as(text).isTrue();
        }
        String regex = "[a-z]{3,6} (cat|dog)";
        assertThat(generate(Map.of("inputs", "Once upon a time", "parameters", Map.of("do_sample", true, "seed", 5,
                "max_new_tokens", 20, "grammar", Map.of("type", "regex", "value", regex))))
                .get("generated_text").asString()).matches(regex);
        List<JsonNode> events = stream(Map.of("inputs", "Once upon a time", "parameters", Map.of("do_sample", true,
                "seed", 6, "max_new_tokens", 80, "grammar", Map.of("type", "json", "value", schema))));
        json.readTree(events.getLast().get("generated_text").asString());
    }

    @Test
    void badParametersGet422WithTgisErrorBodyNamingTheParameter() {
        Map<String, String> cases = Map.ofEntries(
                Map.entry("{\"inputs\":\"\"}", "`inputs`"),
                Map.entry("{\"parameters\":{}}", "`inputs`"),
                Map.entry("{\"inputs\":\"a\",\"parameters\":{\"temperature\":0}}", "`temperature`"),
                Map.entry("{\"inputs\":\"a\",\"parameters\":{\"top_p\":1.0}}", "`top_p`"),
                Map.entry("{\"inputs\":\"a\",\"parameters\":{\"top_k\":0}}", "`top_k`"),
                Map.entry("{\"inputs\":\"a\",\"parameters\":{\"max_new_tokens\":0}}", "`max_new_tokens`"),
                Map.entry("{\"inputs\":\"a\",\"parameters\":{\"max_new_tokens\":600}}", "`max_new_tokens`"),
                Map.entry("{\"inputs\":\"a\",\"parameters\":{\"repetition_penalty\":0}}", "`repetition_penalty`"),
                Map.entry("{\"inputs\":\"a\",\"parameters\":{\"frequency_penalty\":3}}", "`frequency_penalty`"),
                Map.entry("{\"inputs\":\"a\",\"parameters\":{\"best_of\":2,\"do_sample\":true}}", "`best_of`"),
                Map.entry("{\"inputs\":\"a\",\"parameters\":{\"typical_p\":0.5}}", "`typical_p`"),
                Map.entry("{\"inputs\":\"a\",\"parameters\":{\"watermark\":true}}", "`watermark`"),
                Map.entry("{\"inputs\":\"a\",\"parameters\":{\"decoder_input_details\":true}}",
                        "`decoder_input_details`"),
                Map.entry("{\"inputs\":\"a\",\"parameters\":{\"stop\":[\"1\",\"2\",\"3\",\"4\",\"5\"]}}", "`stop`"),
                Map.entry("{\"inputs\":\"a\",\"parameters\":{\"top_n_tokens\":21}}", "`top_n_tokens`"),
                Map.entry("{\"inputs\":\"a\",\"parameters\":{\"truncate\":0}}", "`truncate`"),
                Map.entry("{\"inputs\":\"a\",\"parameters\":{\"grammar\":{\"type\":\"xml\",\"value\":\"a\"}}}",
                        "`grammar.type`"),
                Map.entry("{\"inputs\":\"a\",\"parameters\":{\"grammar\":{\"type\":\"json\",\"value\":"
                        + "{\"type\":\"strnig\"}}}}", "`grammar`"),
                Map.entry("{\"inputs\":\"a\",\"parameters\":{\"grammar\":{\"type\":\"regex\",\"value\":\"(a\"}}}",
                        "`grammar`"),
                Map.entry("{\"inputs\":\"a\",\"parameters\":{\"max_new_tokens\":\"many\"}}", "max_new_tokens"),
                Map.entry("{\"inputs\": ", "JSON"));
        cases.forEach((body, named) -> {
            for (String path : List.of("/generate", "/generate_stream")) {
                http.post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                        .expectStatus().isEqualTo(422)
                        .expectHeader().contentType(MediaType.APPLICATION_JSON)
                        .expectBody()
                        .jsonPath("$.error_type").isEqualTo("validation")
                        .jsonPath("$.error").value(String.class, error -> assertThat(error).as(path + " " + body)
                                .contains(named));
            }
        });
    }

    private JsonNode generate(Map<String, Object> request) {
        String body = http.post().uri("/generate").contentType(MediaType.APPLICATION_JSON).bodyValue(request)
                .exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        return json.readTree(body);
    }

    private List<JsonNode> stream(Map<String, Object> request) {
        return stream("/generate_stream", request);
    }

    private List<JsonNode> stream(String path, Map<String, Object> request) {
        return http.post().uri(path).contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.TEXT_EVENT_STREAM).bodyValue(request)
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {
                })
                .getResponseBody()
                .map(event -> json.readTree(event.data()))
                .collectList()
                .block(Duration.ofSeconds(60));
    }
}
