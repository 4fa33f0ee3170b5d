package dev.hanul.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.engine.TestModels;
import dev.hanul.inference.ModelState.Phase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The admin API as an operator meets it: what a version says about itself, and each mistake's status and fix. */
class ModelAdminApiTest extends RegistryService {

    @Test
    void theConfiguredModelIsVersionOneAndDefaultPointsAtIt() {
        JsonNode registry = expect(200, get("/api/admin/models"));
        JsonNode configured = registry.get("models").valueStream()
                .filter(model -> model.get("name").asString().equals("stories260K-f32")).findFirst().orElseThrow()
                .get("versions").get(0);
        assertThat(configured.get("id").asString()).isEqualTo("stories260K-f32@1");
        assertThat(configured.get("createdBy").asString()).isEqualTo("configuration");
        JsonNode defaultAlias = expect(200, get("/api/admin/models/aliases/default"));
        assertThat(defaultAlias.get("updatedBy").asString()).isEqualTo("configuration");
        assertThat(registry.at("/memory/budgetBytes").asLong()).isEqualTo(2L << 30);
    }

    @Test
    void aRegisteredVersionDescribesItsFile() throws Exception {
        Path file = copy(TestModels.TINY_RANDOM, "described");
        String id = registerAndLoad("described", file);
        JsonNode version = expect(200, get("/api/admin/models/described/versions/1"));

        assertThat(version.get("id").asString()).isEqualTo(id);
        assertThat(version.at("/source/kind").asString()).isEqualTo("LOCAL");
        assertThat(version.at("/source/location").asString()).isEqualTo(file.toString());
        // As ../shared/models/README.md gives it.
        assertThat(version.get("sha256").asString())
                .isEqualTo("81f226c62d28ed4a1a9b9fa080fcd9f0cc40e0f9d5680036583ff98fbcd035cb");
        assertThat(version.get("sizeBytes").asLong()).isEqualTo(Files.size(file));
        assertThat(version.get("architecture").asString()).isEqualTo("llama");
        assertThat(version.get("quantization").asString()).isEqualTo("F16");
        assertThat(version.get("contextLength").asInt()).isEqualTo(4096);
        assertThat(version.at("/state/phase").asString()).isEqualTo("READY");
        assertThat(version.at("/memory/weightsBytes").asLong()).isEqualTo(Files.size(file));
        assertThat(version.at("/memory/kvCacheBytes").asLong()).isPositive().isLessThanOrEqualTo(32L << 20);
        JsonNode changes = json(get("/api/admin/models/changes?subject=" + id).body());
        assertThat(changes.valueStream().map(change -> change.get("action").asString()))
                .containsExactly("LOAD", "REGISTER");
    }

    @Test
    void aLoadThatDoesNotFitTheBudgetIsRefusedWithTheNumbers() {
        JsonNode version = expect(201, post("/api/admin/models/huge/versions", """
                {"source": {"path": "%s"}, "kvCache": "3GB"}""".formatted(copy(TestModels.STORIES, "huge"))));
        JsonNode refused = expect(409, post("/api/admin/models/huge/versions/" + version.get("version").asInt()
                + "/load", ""));
        assertThat(refused.get("status").asInt()).isEqualTo(409);
        assertThat(refused.get("message").asString()).contains("huge@1 needs").contains("KV cache 3221.2 MB")
                .contains("memory budget of 2147.5 MB").contains("hanul.registry.memory-budget");
        assertThat(registry.state("huge@1").phase()).isEqualTo(Phase.REGISTERED);
    }

    @Test
    void theAdminApiIsDescribedInOpenApi() {
        JsonNode paths = expect(200, get("/v3/api-docs")).get("paths");
        assertThat(paths.get("/api/admin/models").has("get")).isTrue();
        assertThat(paths.get("/api/admin/models/{name}/versions").has("post")).isTrue();
        assertThat(paths.get("/api/admin/models/{name}/versions/{version}/load").has("post")).isTrue();
        assertThat(paths.get("/api/admin/models/aliases/{alias}").has("put")).isTrue();
        assertThat(paths.get("/api/admin/models/aliases/{alias}/rollback").has("post")).isTrue();
        assertThat(paths.get("/api/admin/models/aliases/{alias}/canary").has("put")).isTrue();
        assertThat(paths.get("/api/admin/models/aliases/{alias}/shadow").has("delete")).isTrue();
        assertThat(paths.get("/api/admin/models/shadow-results").has("get")).isTrue();
    }

    @Test
    void mistakesAreAnsweredWithTheirStatusAndTheFix() {
        assertThat(expect(400, post("/api/admin/models/x/versions", "{\"source\": {}}")).get("message").asString())
                .contains("exactly one of path, repository (with file) or url");
        assertThat(expect(400, post("/api/admin/models/x/versions",
                "{\"source\": {\"path\": \"/no/such/file.gguf\"}}")).get("message").asString())
                .contains("/no/such/file.gguf is not a file");
        assertThat(expect(400, post("/api/admin/models/bad@name/versions",
                "{\"source\": {\"url\": \"https://example.com/m.gguf\"}}")).get("message").asString())
                .contains("model name 'bad@name' is not allowed");
        assertThat(expect(404, get("/api/admin/models/nothing/versions/7")).get("message").asString())
                .contains("no version nothing@7");
        assertThat(expect(404, put("/api/admin/models/aliases/x", "{\"version\": \"nothing@7\"}"))
                .get("message").asString()).contains("no version nothing@7");
        assertThat(expect(404, post("/api/admin/models/aliases/nowhere/rollback", "")).get("message").asString())
                .contains("no alias 'nowhere'");
        assertThat(expect(400, put("/api/admin/models/aliases/x", "{}")).get("message").asString())
                .contains("either \"version\"");

        JsonNode registered = expect(201, post("/api/admin/models/cold/versions",
                "{\"source\": {\"path\": \"%s\"}}".formatted(copy(TestModels.STORIES, "cold"))));
        assertThat(expect(409, put("/api/admin/models/aliases/x", "{\"version\": \"%s\"}".formatted(
                registered.get("id").asString()))).get("message").asString())
                .contains("must be loaded before 'x' points at them");
        String configured = registry.defaultTargets().getFirst();
        assertThat(expect(409, post("/api/admin/models/" + configured.replace("@", "/versions/") + "/unload", ""))
                .get("message").asString()).contains("serves the alias(es) [default]");
    }
}
