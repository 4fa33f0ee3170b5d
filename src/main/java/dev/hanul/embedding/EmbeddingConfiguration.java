package dev.hanul.embedding;

import dev.hanul.config.DataDirectory;
import dev.hanul.model.ModelDownloader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One embedding model per service, shared by ingestion (chunks) and retrieval (queries). A model that is a file is
 * downloaded from Hugging Face on first start (into {@code <data-dir>/models/<model>/}, resumable, checked against
 * the SHA-256 Hugging Face serves), unless {@code hanul.embedding.path} names one or {@code offline} is set.
 */
@Configuration(proxyBeanMethods = false)
class EmbeddingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddingConfiguration.class);

    @Bean(destroyMethod = "close")
    Embedder embedder(EmbeddingProperties properties, DataDirectory dataDirectory) {
        EmbeddingModel model = properties.spec();
        if (model.bundled()) {
            return Embedder.load(properties);
        }
        Path file = properties.path().isBlank()
                ? dataDirectory.path().resolve("models").resolve(model.id())
                        .resolve(Path.of(model.modelFile()).getFileName())
                : Path.of(properties.path());
        Path tokenizer = file.resolveSibling("tokenizer.json");
        if (!Files.isRegularFile(file) || !Files.isRegularFile(tokenizer)) {
            if (properties.offline() || !properties.path().isBlank()) {
                throw new IllegalStateException("The embedding model " + model.id() + " is not at " + file
                        + " (with tokenizer.json beside it)" + (properties.offline() ? " and hanul.embedding.offline "
                        + "is set" : "") + "; set hanul.embedding.path to its ONNX file, let Hanul download it "
                        + "(leave hanul.embedding.path empty and offline false), or use the bundled English model "
                        + "with hanul.embedding.model=" + EmbeddingModel.ALL_MINILM_L6_V2.id());
            }
            try {
                download(model, file, tokenizer);
            } catch (RuntimeException e) {
                throw new IllegalStateException("Could not download the embedding model " + model.id() + " ("
                        + e.getMessage() + "). Start again to resume the download, put its ONNX file and tokenizer.json "
                        + "in " + file.getParent() + " (or set hanul.embedding.path), or use the bundled English model "
                        + "with hanul.embedding.model=" + EmbeddingModel.ALL_MINILM_L6_V2.id(), e);
            }
        }
        log.info("Embedding model: {} from {}", model.description(), file);
        return Embedder.load(properties, file);
    }

    private static void download(EmbeddingModel model, Path file, Path tokenizer) {
        var targets = new LinkedHashMap<String, Path>();
        targets.put(model.modelFile(), file);
        targets.put("tokenizer.json", tokenizer);
        new ModelDownloader().downloadAll("the embedding model " + model.id(), model.huggingFaceRepo(), targets, log);
    }
}
