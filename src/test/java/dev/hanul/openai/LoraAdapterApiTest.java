package dev.hanul.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.GenerationRequest;
import dev.hanul.engine.TestModels;
import dev.hanul.engine.gguf.GgufFile;
import dev.hanul.engine.lora.LoraAdapter;
import dev.hanul.engine.lora.LoraTarget;
import dev.hanul.engine.model.LlamaConfig;
import dev.hanul.engine.sampling.SamplingParams;
import dev.hanul.engine.synth.SyntheticAdapter;
import dev.hanul.inference.ModelInstance;
import dev.hanul.inference.ServedTestModel;
import dev.hanul.registry.ModelRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import reactor.adapter.JdkFlowAdapter;
import tools.jackson.databind.JsonNode;

/**
 * LoRA adapters served as vLLM serves them: configured ones ({@code hanul.lora.modules}) and ones loaded at runtime
 * ({@code POST /v1/load_lora_adapter}) are chosen through {@code model}, listed by /v1/models with {@code parent},
 * answer what the engine answers with the adapter, and are refused with the reason when they do not fit the model.
 */
@ServedTestModel(TestModels.STORIES)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"hanul.data-dir=target/test-data/lora-api", "hanul.model.threads=1",
                "hanul.model.max-running-sequences=8"})
class LoraAdapterApiTest {

    static final String MODEL = "stories260K-f32";
    static final Path DIR = Path.of("target/test-data/lora-api-adapters");

    @LocalServerPort
    int port;

    @Autowired
    ModelRegistry registry;

    OpenAiHttp http;

    @DynamicPropertySource
    static void adapters(DynamicPropertyRegistry properties) {
        Path configured = writeAdapter("story-lora.gguf", EnumSet.allOf(LoraTarget.class), 4, 21);
        properties.add("hanul.lora.modules[0].name", () -> "story-lora");
        properties.add("hanul.lora.modules[0].path", configured::toString);
    }

    @BeforeEach
    void client() {
        http = new OpenAiHttp(port);
    }

    @Test
    void configuredAdapterIsListedWithItsParentAndAnswersAsTheEngineDoes() {
        JsonNode models = OpenAiHttp.json(http.get("/v1/models").body()).get("data");
        JsonNode adapter = find(models, "story-lora");
        assertThat(adapter.get("parent").asString()).isEqualTo(MODEL);
        assertThat(find(models, MODEL).has("parent")).isFalse();

        String body = """
                {"model": "%s", "prompt": "Once upon a time", "max_tokens": 16, "temperature": 0}""";
        JsonNode base = ok("/v1/completions", body.formatted(MODEL));
        JsonNode adapted = ok("/v1/completions", body.formatted("story-lora"));
        assertThat(adapted.get("model").asString()).isEqualTo("story-lora");
        String adaptedText = adapted.get("choices").get(0).get("text").asString();
        assertThat(adaptedText).isNotEqualTo(base.get("choices").get(0).get("text").asString());

        ModelInstance served = registry.route(MODEL, null).primary();
        LoraAdapter same = LoraAdapter.load(DIR.resolve("story-lora.gguf"), served.engine().model(), "check", 1f);
        assertThat(engineText(served, same, "Once upon a time", 16)).isEqualTo(adaptedText);
    }

    @Test
    void adaptersLoadAndUnloadAtRuntime() {
        Path file = writeAdapter("runtime-lora.gguf", EnumSet.of(LoraTarget.QUERY, LoraTarget.VALUE), 2, 22);
        HttpResponse<String> loaded = http.post("/v1/load_lora_adapter", """
                {"lora_name": "runtime-lora", "lora_path": "%s"}""".formatted(file.toAbsolutePath()));
        assertThat(loaded.statusCode()).as(loaded.body()).isEqualTo(200);
        assertThat(loaded.body()).isEqualTo("Success: LoRA adapter 'runtime-lora' added successfully.");
        assertThat(find(OpenAiHttp.json(http.get("/v1/models").body()).get("data"), "runtime-lora")
                .get("parent").asString()).isEqualTo(MODEL);
        JsonNode chat = ok("/v1/completions", """
                {"model": "runtime-lora", "prompt": "The cat", "max_tokens": 4}""");
        assertThat(chat.get("usage").get("completion_tokens").asInt()).isPositive();

        HttpResponse<String> again = http.post("/v1/load_lora_adapter", """
                {"lora_name": "runtime-lora", "lora_path": "%s"}""".formatted(file.toAbsolutePath()));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
        assertThat(again.body()).contains("already served");

        HttpResponse<String> unloaded = http.post("/v1/unload_lora_adapter", """
                {"lora_name": "runtime-lora"}""");
        assertThat(unloaded.statusCode()).as(unloaded.body()).isEqualTo(200);
        HttpResponse<String> gone = http.post("/v1/completions", """
                {"model": "runtime-lora", "prompt": "The cat", "max_tokens": 4}""");
        assertThat(gone.statusCode()).as(gone.body()).isEqualTo(404);
        assertThat(http.post("/v1/unload_lora_adapter", "{\"lora_name\": \"runtime-lora\"}").statusCode())
                .isEqualTo(404);
    }

    @Test
    void adapterForAnotherShapeIsRefusedWithTheReason() throws IOException {
        Path wrong = DIR.resolve("wrong-shape.gguf");
        new dev.hanul.engine.lora.LoraAdapterWriter("llama", 4f).add(new dev.hanul.engine.lora.LoraAdapterWriter
                .Pair("blk.0.attn_q.weight", 2, 128, 128, new float[256], new float[256])).write(wrong);
        HttpResponse<String> refused = http.post("/v1/load_lora_adapter", """
                {"lora_name": "wrong", "lora_path": "%s"}""".formatted(wrong.toAbsolutePath()));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body()).contains("blk.0.attn_q.weight").contains("wrong base model");
        HttpResponse<String> missing = http.post("/v1/load_lora_adapter", """
                {"lora_name": "missing", "lora_path": "/nowhere/adapter.gguf"}""");
        assertThat(missing.statusCode()).as(missing.body()).isEqualTo(400);
        assertThat(missing.body()).contains("does not exist");
        assertThat(http.post("/v1/load_lora_adapter", "{\"lora_name\": \"x\"}").statusCode()).isEqualTo(400);
    }

    private JsonNode ok(String path, String body) {
        HttpResponse<String> response = http.post(path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return OpenAiHttp.json(response.body());
    }

    private static JsonNode find(JsonNode models, String id) {
        for (JsonNode model : models) {
            if (model.get("id").asString().equals(id)) {
                return model;
            }
        }
        throw new AssertionError(id + " is not listed in " + models);
    }

    private static String engineText(ModelInstance served, LoraAdapter adapter, String prompt, int tokens) {
        int[] ids = served.model().tokenizer().encodePrompt(prompt);
        var request = GenerationRequest.of(ids, SamplingParams.builder().temperature(0).maxTokens(tokens).build())
                .withAdapter(adapter);
        StringBuilder text = new StringBuilder();
        List<GenerationEvent> events = new ArrayList<>(JdkFlowAdapter.flowPublisherToFlux(
                served.engine().submit(request)).collectList().block());
        for (GenerationEvent event : events) {
            switch (event) {
                case GenerationEvent.Token token -> text.append(token.text());
                case GenerationEvent.Finished finished -> text.append(finished.text());
            }
        }
        return text.toString();
    }

    private static Path writeAdapter(String name, EnumSet<LoraTarget> targets, int rank, long seed) {
        Path model = TestModels.find(TestModels.STORIES).orElse(null);
        try {
            Files.createDirectories(DIR);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path out = DIR.resolve(name);
        if (model != null) {
            try (GgufFile gguf = GgufFile.open(model)) {
                SyntheticAdapter.write(LlamaConfig.from(gguf), targets, rank, rank, seed, out);
            }
        }
        return out;
    }
}
