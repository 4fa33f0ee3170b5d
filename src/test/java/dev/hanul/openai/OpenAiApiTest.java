package dev.hanul.openai;

import static dev.hanul.engine.sampling.json.JsonObjectAssertions.assertBeginsAnObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.hanul.embedding.Embedder;
import dev.hanul.engine.TestModels;
import dev.hanul.inference.ModelInstance;
import dev.hanul.registry.ModelRegistry;
import dev.hanul.inference.ServedTestModel;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAI-compatible API over HTTP with stories260K (a tiny real model without a chat template): response shapes,
 * streaming, sampling parameters, embeddings, and the OpenAI error object for bad input.
 */
@ServedTestModel(TestModels.STORIES)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=target/test-data/openai-api", "hanul.model.threads=1",
                "hanul.model.max-running-sequences=8"})
class OpenAiApiTest {

    static final String MODEL = "stories260K-f32";

    @LocalServerPort
    int port;

    @Autowired
    ModelRegistry registry;

    /** The version the default alias serves. */
    ModelInstance served() {
        return registry.route(null, null).primary();
    }

    OpenAiHttp http;

    @BeforeEach
    void modelReady() {
        http = new OpenAiHttp(port);
    }

    JsonNode ok(String path, String body) {
        HttpResponse<String> response = http.post(path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return OpenAiHttp.json(response.body());
    }

    /** The error object of a refused request, after checking its status and that it names the parameter. */
    JsonNode error(String path, String body, int status, String param) {
        HttpResponse<String> response = http.post(path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/json"));
        JsonNode error = OpenAiHttp.json(response.body()).get("error");
        assertThat(error.get("message").asString()).isNotBlank();
        assertThat(error.get("type").asString()).isEqualTo(status >= 500 ? "server_error" : "invalid_request_error");
        assertThat(error.has("code")).isTrue();
        assertThat(error.get("param").isNull() ? null : error.get("param").asString()).isEqualTo(param);
        return error;
    }

    static String chat(String extra) {
        return """
                {"model": "%s", "messages": [{"role": "user", "content": "Once upon a time"}]%s}"""
                .formatted(MODEL, extra.isEmpty() ? "" : ", " + extra);
    }

    // --- chat completions ---

    @Test
    void chatCompletionHasOpenAisShape() {
        JsonNode body = ok("/v1/chat/completions", chat("\"max_tokens\": 8, \"temperature\": 0, \"user\": \"u1\", "
                + "\"some_future_field\": {\"x\": 1}"));
        assertThat(body.get("id").asString()).startsWith("chatcmpl-");
        assertThat(body.get("object").asString()).isEqualTo("chat.completion");
        assertThat(body.get("created").asLong()).isPositive();
        assertThat(body.get("model").asString()).isEqualTo(MODEL);
        JsonNode choice = body.get("choices").get(0);
        assertThat(choice.get("index").asInt()).isZero();
        assertThat(choice.get("message").get("role").asString()).isEqualTo("assistant");
        assertThat(choice.get("message").get("content").asString()).isNotEmpty();
        assertThat(choice.get("finish_reason").asString()).isIn("stop", "length");
        assertThat(choice.get("stop_reason").isNull()).as("no stop string or stop token id ended it").isTrue();
        assertThat(choice.get("logprobs").isNull()).isTrue();
        JsonNode usage = body.get("usage");
        assertThat(usage.get("prompt_tokens").asInt()).isPositive();
        assertThat(usage.get("completion_tokens").asInt()).isBetween(1, 8);
        assertThat(usage.get("total_tokens").asInt())
                .isEqualTo(usage.get("prompt_tokens").asInt() + usage.get("completion_tokens").asInt());
    }

    @Test
    void contentPartsAndDeveloperRoleAreAccepted() {
        String body = """
                {"model": "%s", "max_completion_tokens": 4, "messages": [
                  {"role": "developer", "content": "Tell a story."},
                  {"role": "user", "content": [{"type": "text", "text": "Once upon"},
                                               {"type": "text", "text": "a time"}]}
                ]}""".formatted(MODEL);
        JsonNode response = ok("/v1/chat/completions", body);
        assertThat(response.get("usage").get("completion_tokens").asInt()).isBetween(1, 4);
    }

    @Test
    void withoutMaxTokensTheCompletionMayUseTheRestOfTheContext() {
        JsonNode body = ok("/v1/chat/completions", chat("\"temperature\": 0, \"ignore_eos\": true"));
        int context = served().model().model().config().contextLength();
        JsonNode usage = body.get("usage");
        assertThat(usage.get("total_tokens").asInt()).isEqualTo(context);
        assertThat(body.get("choices").get(0).get("finish_reason").asString()).isEqualTo("length");
    }

    @Test
    void maxTokensEndsWithLength() {
        JsonNode body = ok("/v1/chat/completions", chat("\"max_tokens\": 3, \"ignore_eos\": true"));
        assertThat(body.get("choices").get(0).get("finish_reason").asString()).isEqualTo("length");
        assertThat(body.get("usage").get("completion_tokens").asInt()).isEqualTo(3);
    }

    @Test
    void chatLogprobsHaveTokensBytesAndAlternatives() {
        JsonNode body = ok("/v1/chat/completions", chat("\"max_tokens\": 5, \"ignore_eos\": true, "
                + "\"logprobs\": true, \"top_logprobs\": 3"));
        JsonNode content = body.get("choices").get(0).get("logprobs").get("content");
        assertThat(content.size()).isEqualTo(5);
        var text = new StringBuilder();
        for (JsonNode entry : content) {
            text.append(entry.get("token").asString());
            assertThat(entry.get("logprob").asDouble()).isLessThanOrEqualTo(0);
            assertThat(entry.get("bytes").isArray()).isTrue();
            JsonNode top = entry.get("top_logprobs");
            assertThat(top.size()).isEqualTo(3);
            assertThat(top.get(0).get("logprob").asDouble()).isGreaterThanOrEqualTo(top.get(2).get("logprob")
                    .asDouble());
            assertThat(top.get(0).has("token") && top.get(0).has("bytes")).isTrue();
        }
        // SentencePiece drops the space that starts a text, so the content may lack the first token's leading space.
        assertThat(text.toString().stripLeading())
                .isEqualTo(body.get("choices").get(0).get("message").get("content").asString().stripLeading());
    }

    @Test
    void stopStringsCutTheTextBeforeThem() {
        String free = ok("/v1/chat/completions", chat("\"max_tokens\": 40, \"temperature\": 0, "
                + "\"ignore_eos\": true")).get("choices").get(0).get("message").get("content").asString();
        assertThat(free.length()).isGreaterThan(20);
        String stop = free.substring(10, 14);
        JsonNode choice = ok("/v1/chat/completions", chat("\"max_tokens\": 40, \"temperature\": 0, "
                + "\"ignore_eos\": true, \"stop\": [\"%s\", \"zzzzqqq\"]".formatted(stop))).get("choices").get(0);
        assertThat(choice.get("message").get("content").asString()).isEqualTo(free.substring(0, free.indexOf(stop)));
        assertThat(choice.get("finish_reason").asString()).isEqualTo("stop");
        assertThat(choice.get("stop_reason").asString()).isEqualTo(stop);

        List<String> events = OpenAiHttp.events(http.post("/v1/chat/completions", chat("\"max_tokens\": 40, "
                + "\"temperature\": 0, \"ignore_eos\": true, \"stream\": true, \"stop\": [\"%s\"]".formatted(stop)))
                .body());
        List<JsonNode> chunks = events.subList(0, events.size() - 1).stream()
                .map(event -> OpenAiHttp.json(event).get("choices").get(0)).toList();
        assertThat(chunks.getLast().get("stop_reason").asString()).isEqualTo(stop);
        assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(chunk ->
                assertThat(chunk.get("stop_reason").isNull()).isTrue());
    }

    /** Greedy from BOS, stories260K says "Once upon a time": tokens 403, 407, 261, 378 ("time"). */
    @Test
    void aStopTokenIdEndsTheChoiceAndIsItsStopReason() {
        String body = """
                {"model": "%s", "prompt": [1], "max_tokens": 10, "temperature": 0, "stop_token_ids": [378]%s}""";
        JsonNode choice = ok("/v1/completions", body.formatted(MODEL, "")).get("choices").get(0);
        assertThat(choice.get("text").asString()).isEqualTo("Once upon a");
        assertThat(choice.get("finish_reason").asString()).isEqualTo("stop");
        assertThat(choice.get("stop_reason").isInt()).isTrue();
        assertThat(choice.get("stop_reason").asInt()).isEqualTo(378);

        List<String> events = OpenAiHttp.events(http.post("/v1/completions", body.formatted(MODEL,
                ", \"stream\": true")).body());
        JsonNode last = OpenAiHttp.json(events.get(events.size() - 2)).get("choices").get(0);
        assertThat(last.get("finish_reason").asString()).isEqualTo("stop");
        assertThat(last.get("stop_reason").asInt()).isEqualTo(378);
    }

    @Test
    void nChoicesAreIndexed() {
        JsonNode body = ok("/v1/chat/completions", chat("\"max_tokens\": 6, \"n\": 2, \"seed\": 1"));
        JsonNode choices = body.get("choices");
        assertThat(choices.size()).isEqualTo(2);
        assertThat(choices.get(0).get("index").asInt()).isZero();
        assertThat(choices.get(1).get("index").asInt()).isEqualTo(1);
        assertThat(choices.get(1).get("message").get("content").asString()).isNotEmpty();
    }

    @Test
    void theSameSeedGivesTheSameText() {
        String request = chat("\"max_tokens\": 24, \"temperature\": 1, \"seed\": 1234, \"ignore_eos\": true");
        String first = ok("/v1/chat/completions", request).get("choices").get(0).get("message").get("content")
                .asString();
        String second = ok("/v1/chat/completions", request).get("choices").get(0).get("message").get("content")
                .asString();
        assertThat(second).isEqualTo(first);
        List<String> others = new ArrayList<>();
        for (int seed = 1; seed <= 3; seed++) {
            others.add(ok("/v1/chat/completions", chat("\"max_tokens\": 24, \"temperature\": 1, \"seed\": " + seed
                    + ", \"ignore_eos\": true")).get("choices").get(0).get("message").get("content").asString());
        }
        assertThat(others).as("other seeds sample other texts").anyMatch(text -> !text.equals(first));
    }

    /**
     * stories260K writes stories, which fit inside a JSON string but rarely end one, so within max_tokens its object
     * does not close: what matters here is that the constrained content is the beginning of an object, streamed or
     * not, and that the instruction went into the prompt. OpenAiSdkTest checks a whole object from SmolLM2.
     */
    @Test
    void jsonObjectModeConstrainsTheContentToAnObject() {
        String jsonObject = "\"max_tokens\": 40, \"temperature\": 1, \"seed\": 3, \"n\": 2, "
                + "\"response_format\": {\"type\": \"json_object\"}";
        JsonNode body = ok("/v1/chat/completions", chat(jsonObject));
        for (JsonNode choice : body.get("choices")) {
            assertThat(choice.get("finish_reason").asString()).isEqualTo("length");
            assertBeginsAnObject(choice.get("message").get("content").asString());
        }
        assertThat(body.get("usage").get("prompt_tokens").asInt()).isGreaterThan(ok("/v1/chat/completions",
                chat("\"max_tokens\": 4")).get("usage").get("prompt_tokens").asInt());
        HttpResponse<String> stream = http.post("/v1/chat/completions", chat(jsonObject + ", \"stream\": true"));
        StringBuilder streamed = new StringBuilder();
        for (String data : OpenAiHttp.events(stream.body())) {
            if (!data.equals("[DONE]")) {
                JsonNode choice = OpenAiHttp.json(data).get("choices").get(0);
                if (choice.get("index").asInt() == 0 && choice.get("delta").has("content")) {
                    streamed.append(choice.get("delta").get("content").asString());
                }
            }
        }
        assertThat(streamed.toString()).isEqualTo(body.get("choices").get(0).get("message").get("content")
                .asString());
    }

    // --- the official OpenAI SDK as a client ---

    @Test
    void officialSdkCompletesAChat() {
        OpenAIClient client = sdk();
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(MODEL).addUserMessage("Once upon a time").maxCompletionTokens(8).temperature(0.0).build());
        assertThat(completion.id()).startsWith("chatcmpl-");
        assertThat(completion.choices().getFirst().message().content()).hasValueSatisfying(text ->
                assertThat(text).isNotEmpty());
        assertThat(completion.usage().orElseThrow().completionTokens()).isBetween(1L, 8L);
    }

    @Test
    void officialSdkRaisesOurErrorsAsItsExceptions() {
        OpenAIClient client = sdk();
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-4o").addUserMessage("hi").build()))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("gpt-4o");
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(MODEL).addUserMessage("hi").temperature(-1.0).build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("temperature");
    }

    OpenAIClient sdk() {
        return OpenAIOkHttpClient.builder().baseUrl("http://localhost:" + port + "/v1").apiKey("unused")
                .maxRetries(0).build();
    }

    // --- streaming ---

    @Test
    void streamingChatSendsRoleThenTextThenFinishReasonThenDone() {
        HttpResponse<String> response = http.post("/v1/chat/completions", chat("\"max_tokens\": 10, "
                + "\"temperature\": 0, \"stream\": true"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        List<String> events = OpenAiHttp.events(response.body());
        assertThat(events.getLast()).isEqualTo("[DONE]");
        List<JsonNode> chunks = events.subList(0, events.size() - 1).stream().map(OpenAiHttp::json).toList();
        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk.get("object").asString()).isEqualTo("chat.completion.chunk");
            assertThat(chunk.get("id").asString()).isEqualTo(chunks.getFirst().get("id").asString());
            assertThat(chunk.has("usage")).isFalse();
        });
        assertThat(chunks.getFirst().get("choices").get(0).get("delta").get("role").asString())
                .isEqualTo("assistant");
        JsonNode last = chunks.getLast().get("choices").get(0);
        assertThat(last.get("finish_reason").asString()).isIn("stop", "length");
        assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(chunk ->
                assertThat(chunk.get("choices").get(0).get("finish_reason").isNull()).isTrue());
        String streamed = chunks.stream().map(chunk -> chunk.get("choices").get(0).get("delta").path("content")
                .asString("")).reduce("", String::concat);
        String whole = ok("/v1/chat/completions", chat("\"max_tokens\": 10, \"temperature\": 0")).get("choices")
                .get(0).get("message").get("content").asString();
        assertThat(streamed).isEqualTo(whole);
    }

    @Test
    void includeUsageAddsAChunkWithoutChoicesBeforeDone() {
        List<String> events = OpenAiHttp.events(http.post("/v1/chat/completions", chat("\"max_tokens\": 5, "
                + "\"ignore_eos\": true, \"stream\": true, \"stream_options\": {\"include_usage\": true}")).body());
        assertThat(events.getLast()).isEqualTo("[DONE]");
        JsonNode usageChunk = OpenAiHttp.json(events.get(events.size() - 2));
        assertThat(usageChunk.get("choices").isEmpty()).isTrue();
        assertThat(usageChunk.get("usage").get("completion_tokens").asInt()).isEqualTo(5);
        assertThat(usageChunk.get("usage").get("total_tokens").asInt())
                .isEqualTo(usageChunk.get("usage").get("prompt_tokens").asInt() + 5);
        assertThat(events.subList(0, events.size() - 2)).noneMatch(event -> OpenAiHttp.json(event).has("usage"));
    }

    @Test
    void streamingWithNInterleavesChoicesByIndex() {
        List<String> events = OpenAiHttp.events(http.post("/v1/chat/completions", chat("\"max_tokens\": 5, "
                + "\"n\": 2, \"ignore_eos\": true, \"stream\": true")).body());
        List<JsonNode> choices = events.subList(0, events.size() - 1).stream()
                .map(event -> OpenAiHttp.json(event).get("choices").get(0)).toList();
        for (int index = 0; index < 2; index++) {
            int i = index;
            List<JsonNode> mine = choices.stream().filter(choice -> choice.get("index").asInt() == i).toList();
            assertThat(mine.getFirst().get("delta").get("role").asString()).isEqualTo("assistant");
            assertThat(mine.getLast().get("finish_reason").asString()).isEqualTo("length");
        }
    }

    // --- completions ---

    @Test
    void completionContinuesThePromptWithSixteenTokensByDefault() {
        JsonNode body = ok("/v1/completions", """
                {"model": "%s", "prompt": "Once upon a time", "ignore_eos": true}""".formatted(MODEL));
        assertThat(body.get("id").asString()).startsWith("cmpl-");
        assertThat(body.get("object").asString()).isEqualTo("text_completion");
        JsonNode choice = body.get("choices").get(0);
        assertThat(choice.get("text").asString()).isNotEmpty();
        assertThat(choice.get("finish_reason").asString()).isEqualTo("length");
        assertThat(body.get("usage").get("completion_tokens").asInt()).isEqualTo(16);
    }

    /** Greedy, so the tokens are whole words: a sampled byte token's text would not add up to the released text. */
    @Test
    void completionLogprobsHaveTheLegacyLayout() {
        JsonNode choice = ok("/v1/completions", """
                {"model": "%s", "prompt": ["Once upon a time"], "max_tokens": 6, "ignore_eos": true,
                 "logprobs": 2, "temperature": 0}""".formatted(MODEL)).get("choices").get(0);
        JsonNode logprobs = choice.get("logprobs");
        assertThat(logprobs.get("tokens").size()).isEqualTo(6);
        assertThat(logprobs.get("token_logprobs").size()).isEqualTo(6);
        assertThat(logprobs.get("top_logprobs").get(0).size()).isBetween(1, 2);
        JsonNode offsets = logprobs.get("text_offset");
        assertThat(offsets.get(0).asInt()).isZero();
        String text = choice.get("text").asString();
        var joined = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            assertThat(offsets.get(i).asInt()).isEqualTo(joined.length());
            joined.append(logprobs.get("tokens").get(i).asString());
        }
        assertThat(joined.toString()).isEqualTo(text);
    }

    @Test
    void streamingCompletionEndsWithUsageAndDone() {
        List<String> events = OpenAiHttp.events(http.post("/v1/completions", """
                {"model": "%s", "prompt": "Once upon a time", "max_tokens": 4, "ignore_eos": true, "stream": true,
                 "stream_options": {"include_usage": true}}""".formatted(MODEL)).body());
        assertThat(events.getLast()).isEqualTo("[DONE]");
        JsonNode usage = OpenAiHttp.json(events.get(events.size() - 2));
        assertThat(usage.get("object").asString()).isEqualTo("text_completion");
        assertThat(usage.get("choices").isEmpty()).isTrue();
        assertThat(usage.get("usage").get("completion_tokens").asInt()).isEqualTo(4);
        assertThat(OpenAiHttp.json(events.get(events.size() - 3)).get("choices").get(0).get("finish_reason")
                .asString()).isEqualTo("length");
    }

    @Test
    void completionTakesTokenIds() {
        int[] tokens = served().model().tokenizer().encodePrompt("Once upon a time");
        JsonNode body = ok("/v1/completions", """
                {"model": "%s", "prompt": %s, "max_tokens": 2}""".formatted(MODEL,
                java.util.Arrays.toString(tokens)));
        assertThat(body.get("usage").get("prompt_tokens").asInt()).isEqualTo(tokens.length);
    }

    // --- models and embeddings ---

    @Test
    void modelsListTheServedModelTheRagAliasAndTheEmbeddingModel() {
        JsonNode list = OpenAiHttp.json(http.get("/v1/models").body());
        assertThat(list.get("object").asString()).isEqualTo("list");
        assertThat(list.get("data").valueStream().map(model -> model.get("id").asString()))
                .containsExactly(MODEL, "rag", Embedder.ID);
        JsonNode model = OpenAiHttp.json(http.get("/v1/models/" + MODEL).body());
        assertThat(model.get("object").asString()).isEqualTo("model");
        assertThat(model.get("owned_by").asString()).isEqualTo("hanul");
        assertThat(model.get("created").asLong()).isPositive();
        HttpResponse<String> unknown = http.get("/v1/models/gpt-4");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(OpenAiHttp.json(unknown.body()).get("error").get("code").asString()).isEqualTo("model_not_found");
    }

    @Test
    void embeddingsAsFloatsAndBase64() {
        JsonNode floats = ok("/v1/embeddings", """
                {"model": "%s", "input": ["The cat sat on the mat.", "Stock markets fell."]}"""
                .formatted(Embedder.ID));
        assertThat(floats.get("object").asString()).isEqualTo("list");
        assertThat(floats.get("model").asString()).isEqualTo(Embedder.ID);
        assertThat(floats.get("data").size()).isEqualTo(2);
        JsonNode first = floats.get("data").get(0);
        assertThat(first.get("object").asString()).isEqualTo("embedding");
        assertThat(floats.get("data").get(1).get("index").asInt()).isEqualTo(1);
        assertThat(first.get("embedding").size()).isEqualTo(Embedder.DIMENSION);
        assertThat(floats.get("usage").get("prompt_tokens").asInt()).isGreaterThan(4);

        JsonNode encoded = ok("/v1/embeddings", """
                {"model": "%s", "input": "The cat sat on the mat.", "encoding_format": "base64"}"""
                .formatted(Embedder.ID));
        var vector = ByteBuffer.wrap(Base64.getDecoder().decode(encoded.get("data").get(0).get("embedding")
                .asString())).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        assertThat(vector.remaining()).isEqualTo(Embedder.DIMENSION);
        for (int d = 0; d < Embedder.DIMENSION; d++) {
            assertThat(vector.get(d)).isEqualTo(first.get("embedding").get(d).floatValue());
        }
    }

    // --- bad input: 4xx with an OpenAI error object naming the parameter ---

    @Test
    void malformedJsonIsA400() {
        JsonNode truncated = error("/v1/chat/completions", "{\"model\": \"" + MODEL + "\", \"messages\": [", 400,
                null);
        assertThat(truncated.get("message").asString()).contains("end-of-input");
        error("/v1/completions", "{model: stories}", 400, null);
    }

    @Test
    void aValueOfTheWrongTypeNamesItsField() {
        error("/v1/chat/completions", chat("\"temperature\": \"hot\""), 400, "temperature");
    }

    @Test
    void anUnknownModelIsA404ModelNotFound() {
        JsonNode error = error("/v1/chat/completions", chat("").replace(MODEL, "gpt-4o"), 404, "model");
        assertThat(error.get("code").asString()).isEqualTo("model_not_found");
        error("/v1/completions", "{\"model\": \"gpt-4o\", \"prompt\": \"x\"}", 404, "model");
        error("/v1/embeddings", "{\"model\": \"text-embedding-3-small\", \"input\": \"x\"}", 404, "model");
    }

    @Test
    void emptyMessagesAreRefused() {
        error("/v1/chat/completions", "{\"model\": \"" + MODEL + "\", \"messages\": []}", 400, "messages");
    }

    @Test
    void aPromptLongerThanTheContextIsRefused() {
        String longText = "Once upon a time there was a cat. ".repeat(400);
        JsonNode error = error("/v1/chat/completions", """
                {"model": "%s", "messages": [{"role": "user", "content": "%s"}]}""".formatted(MODEL, longText),
                400, "messages");
        assertThat(error.get("message").asString()).startsWith("This model's maximum context length is");
        error("/v1/completions", """
                {"model": "%s", "prompt": "%s"}""".formatted(MODEL, longText), 400, "prompt");
    }

    @Test
    void samplingParametersOutOfRangeAreRefused() {
        error("/v1/chat/completions", chat("\"temperature\": -1"), 400, "temperature");
        error("/v1/chat/completions", chat("\"temperature\": 2.5"), 400, "temperature");
        error("/v1/chat/completions", chat("\"top_p\": 2"), 400, "top_p");
        error("/v1/chat/completions", chat("\"top_p\": 0"), 400, "top_p");
        error("/v1/chat/completions", chat("\"max_tokens\": 1000000000"), 400, "max_tokens");
        error("/v1/chat/completions", chat("\"max_completion_tokens\": 0"), 400, "max_completion_tokens");
        error("/v1/chat/completions", chat("\"n\": 1000"), 400, "n");
        error("/v1/chat/completions", chat("\"presence_penalty\": 3"), 400, "presence_penalty");
        error("/v1/chat/completions", chat("\"frequency_penalty\": -2.5"), 400, "frequency_penalty");
        error("/v1/chat/completions", chat("\"stop\": [\"a\", \"b\", \"c\", \"d\", \"e\"]"), 400, "stop");
        error("/v1/chat/completions", chat("\"logprobs\": true, \"top_logprobs\": 21"), 400, "top_logprobs");
        error("/v1/chat/completions", chat("\"top_logprobs\": 2"), 400, "top_logprobs");
        error("/v1/chat/completions", chat("\"top_k\": -5"), 400, "top_k");
        error("/v1/chat/completions", chat("\"min_p\": 1.5"), 400, "min_p");
        error("/v1/chat/completions", chat("\"max_tokens\": 4, \"min_tokens\": 5"), 400, "min_tokens");
        error("/v1/chat/completions", chat("\"stop_token_ids\": [-1]"), 400, "stop_token_ids");
        error("/v1/completions", "{\"model\": \"" + MODEL + "\", \"prompt\": \"x\", \"logprobs\": 6}", 400,
                "logprobs");
    }

    @Test
    void unsupportedFeaturesAreRefusedByName() {
        error("/v1/chat/completions", chat("\"response_format\": {\"type\": \"xml\"}"), 400,
                "response_format.type");
        error("/v1/chat/completions", chat("\"stream_options\": {\"include_usage\": true}"), 400, "stream_options");
        error("/v1/chat/completions", """
                {"model": "%s", "messages": [{"role": "user", "content": [{"type": "image_url",
                 "image_url": {"url": "http://x/y.png"}}]}]}""".formatted(MODEL), 400, "messages[0].content[0].type");
        error("/v1/chat/completions", """
                {"model": "%s", "messages": [{"role": "wizard", "content": "hi"}]}""".formatted(MODEL), 400,
                "messages[0].role");
        error("/v1/completions", "{\"model\": \"" + MODEL + "\", \"prompt\": [\"a\", \"b\"]}", 400, "prompt");
        error("/v1/embeddings", "{\"model\": \"" + Embedder.ID + "\", \"input\": [[1, 2, 3]]}", 400, "input");
        error("/v1/embeddings", "{\"input\": \"x\", \"encoding_format\": \"int8\"}", 400, "encoding_format");
        JsonNode tooLong = error("/v1/embeddings", "{\"input\": [\"short\", \"%s\"]}".formatted("word ".repeat(300)),
                400, "input");
        assertThat(tooLong.get("message").asString()).contains("input[1]");
    }

    @Test
    void unknownPathsUnderV1GetAnOpenAiErrorAndOtherPathsKeepTheirs() {
        HttpResponse<String> unknown = http.post("/v1/assistants", "{}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(OpenAiHttp.json(unknown.body()).get("error").get("type").asString())
                .isEqualTo("invalid_request_error");
        HttpResponse<String> other = http.get("/api/no-such-thing");
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(OpenAiHttp.json(other.body()).get("status").asInt()).isEqualTo(404);
    }
}
