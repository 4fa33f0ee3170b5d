package dev.hanul.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hanul.engine.model.Architecture;
import dev.hanul.inference.ModelProperties;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The built-in catalog, and a user's file over it. */
class ModelCatalogTest {

    @TempDir
    Path dir;

    @Test
    void theBuiltInDefaultIsWhatTheServiceDownloadsWhenNothingIsSet() {
        CatalogEntry byDefault = ModelCatalog.builtIn().defaultModel();
        ModelProperties unset = new Binder(new MapConfigurationPropertySource())
                .bindOrCreate("hanul.model", ModelProperties.class);
        assertThat(byDefault.name()).isEqualTo("smollm2:135m");
        assertThat(byDefault.repository()).isEqualTo(unset.repository());
        assertThat(byDefault.file()).isEqualTo(unset.file());
        assertThat(byDefault.runnable()).isTrue();
    }

    @Test
    void everyBuiltInEntryIsComplete() {
        var entries = ModelCatalog.builtIn().entries();
        assertThat(entries).hasSizeGreaterThanOrEqualTo(8);
        assertThat(entries).filteredOn(CatalogEntry::isDefault).hasSize(1);
        assertThat(entries).extracting(CatalogEntry::file).doesNotHaveDuplicates();
        for (CatalogEntry entry : entries) {
            assertThat(entry.name()).as("Ollama-style family:size").matches("[a-z0-9.]+:[0-9.]+[mb]");
            assertThat(entry.file()).endsWith(".gguf");
            assertThat(entry.sizeMb()).as(entry.name()).isPositive();
            assertThat(entry.license()).as(entry.name()).isNotBlank();
            assertThat(entry.quantization()).as(entry.name()).isNotBlank();
            assertThat(entry.runnable()).as(entry.name())
                    .isEqualTo(Architecture.named(entry.architecture()).isPresent());
        }
    }

    @Test
    void aModelThisBuildCannotRunSaysWhy() {
        CatalogEntry exaone = ModelCatalog.builtIn().require("exaone3.5:2.4b");
        assertThat(exaone.unsupportedReason()).hasValueSatisfying(reason ->
                assertThat(reason).contains("'exaone'").contains("llama").contains("qwen3"));
        assertThat(ModelCatalog.builtIn().require("qwen3:0.6b").unsupportedReason()).isEmpty();
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> ModelCatalog.builtIn().require("gpt5:1t"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'gpt5:1t'").hasMessageContaining("smollm2:135m, smollm2:360m");
    }

    @Test
    void sourcesFollowTheEndpoint() {
        CatalogEntry entry = ModelCatalog.builtIn().require("smollm2:135m");
        assertThat(entry.source(URI.create("https://hf-mirror.example/")))
                .hasToString("https://hf-mirror.example/HuggingFaceTB/SmolLM2-135M-Instruct-GGUF/resolve/main/"
                        + "smollm2-135m-instruct-q8_0.gguf");
    }

    @Test
    void aUsersFileAddsEntriesOverridesOnesAndMayMoveTheDefault() throws Exception {
        Files.writeString(dir.resolve(ModelCatalog.USER_FILE), """
                {"version": 1, "models": [
                  {"name": "mine:1b", "repository": "me/mine-GGUF", "file": "mine-1b.gguf", "architecture": "llama",
                   "sha256": "%s", "default": true},
                  {"name": "smollm2:135m", "repository": "mirror/SmolLM2", "file": "smollm2-135m-instruct-q8_0.gguf",
                   "architecture": "llama"}
                ]}""".formatted("ab".repeat(32)));
        ModelCatalog catalog = ModelCatalog.forDataDirectory(dir);
        assertThat(catalog.defaultModel().name()).isEqualTo("mine:1b");
        assertThat(catalog.require("mine:1b").sha256()).isEqualTo("ab".repeat(32));
        assertThat(catalog.require("smollm2:135m").repository()).isEqualTo("mirror/SmolLM2");
        assertThat(catalog.require("smollm2:135m").isDefault()).isFalse();
        assertThat(catalog.entries()).extracting(CatalogEntry::name).startsWith("smollm2:135m").endsWith("mine:1b");
        assertThat(ModelCatalog.forDataDirectory(dir.resolve("elsewhere")).defaultModel().name())
                .isEqualTo("smollm2:135m");
    }

    @Test
    void aBrokenUsersFileIsRefusedWithWhereAndWhat() throws Exception {
        Path file = dir.resolve(ModelCatalog.USER_FILE);
        Files.writeString(file, """
                {"version": 1, "models": [{"name": "x:1b", "repository": "r", "file": "x.gguf",
                 "architecture": "llama", "sha": "abc"}]}""");
        assertThatThrownBy(() -> ModelCatalog.forDataDirectory(dir))
                .hasMessageContaining(file.toString()).hasMessageContaining("sha");
        Files.writeString(file, """
                {"version": 1, "models": [{"name": "x:1b", "repository": "r", "file": "x.gguf",
                 "architecture": "llama", "sha256": "abc"}]}""");
        assertThatThrownBy(() -> ModelCatalog.forDataDirectory(dir)).hasMessageContaining("64 hex digits");
        Files.writeString(file, "{\"version\": 2, \"models\": []}");
        assertThatThrownBy(() -> ModelCatalog.forDataDirectory(dir)).hasMessageContaining("format version 2");
    }
}
