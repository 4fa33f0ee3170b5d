package dev.hanul.rerank;

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
 * The reranker, from {@code hanul.rerank.path} or downloaded from Hugging Face on first start into
 * {@code <data-dir>/models/ms-marco-MiniLM-L-12-v2/} (resumable, checked against the SHA-256 Hugging Face serves). Unlike
 * the embedding model it is optional: when it cannot be had (offline, a failed download, a bad file) the service
 * starts without it, logs why, and searches keep the fused order.
 */
@Configuration(proxyBeanMethods = false)
class RerankConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RerankConfiguration.class);

    @Bean(destroyMethod = "close")
    Reranker reranker(RerankProperties properties, DataDirectory dataDirectory) {
        if (!properties.enabled()) {
            log.info("Reranking is off (hanul.rerank.enabled=false); requests may not turn it on");
            return Reranker.without("hanul.rerank.enabled is false", properties);
        }
        Path file = properties.path().isBlank()
                ? dataDirectory.path().resolve("models").resolve(CrossEncoder.ID)
                        .resolve(Path.of(CrossEncoder.MODEL_FILE).getFileName())
                : Path.of(properties.path());
        Path tokenizer = file.resolveSibling("tokenizer.json");
        if (!Files.isRegularFile(file) || !Files.isRegularFile(tokenizer)) {
            String missing = "the reranker " + CrossEncoder.ID + " is not at " + file + " (with tokenizer.json beside it)";
            if (properties.offline() || !properties.path().isBlank()) {
                return without(missing + (properties.offline() ? " and hanul.rerank.offline is set" : ""), properties);
            }
            try {
                var targets = new LinkedHashMap<String, Path>();
                targets.put(CrossEncoder.MODEL_FILE, file);
                targets.put("tokenizer.json", tokenizer);
                new ModelDownloader().downloadAll("the reranker " + CrossEncoder.ID, CrossEncoder.HUGGING_FACE_REPO,
                        targets, log);
            } catch (RuntimeException e) {
                return without(missing + " and could not be downloaded (" + e.getMessage() + ")", properties);
            }
        }
        try {
            Reranker reranker = Reranker.of(CrossEncoder.load(file, properties.threads()), properties);
            log.info("Reranker: {} from {}, {} candidates per search{}", CrossEncoder.ID, file,
                    properties.candidates(), properties.korean() ? "" : "; Korean queries keep the fused order");
            return reranker;
        } catch (RuntimeException e) {
            return without("the reranker at " + file + " could not be loaded (" + e.getMessage() + ")", properties);
        }
    }

    private static Reranker without(String reason, RerankProperties properties) {
        log.warn("Searching without reranking: {}. Start again connected to download it, put its ONNX file and "
                + "tokenizer.json there (or set hanul.rerank.path), or set hanul.rerank.enabled=false to silence "
                + "this", reason);
        return Reranker.without(reason, properties);
    }
}
