package dev.hanul.guard;

import dev.hanul.embedding.Embedder;
import dev.hanul.embedding.EmbeddingModel;
import dev.hanul.embedding.EmbeddingProperties;
import dev.hanul.monitoring.ToxicityModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The guardrails' classifiers, loaded in the background once the service is ready, or on first use where preloading
 * is off (a test that never sends a request then never pays for them): the injection detector on the bundled all-MiniLM-L6-v2 (jailguard's MLP was trained on
 * its embeddings, whatever embedding model retrieval uses) and the toxicity BiLSTM. A missing model file is logged
 * once and its part is left out, never a failed start.
 */
@Component
public class GuardModels implements ToxicityModel, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GuardModels.class);

    private final GuardrailProperties properties;
    private volatile Embedder embedder;
    private volatile InjectionDetector injection;
    private volatile ToxicityClassifier toxicity;
    private volatile boolean toxicityChecked;

    public GuardModels(GuardrailProperties properties) {
        this.properties = properties;
    }

    /**
     * Loads the classifiers off the server's threads: loaded by the first request instead, they held an event loop,
     * and every connection it serves (health probes included), for about a second.
     */
    @EventListener(ApplicationReadyEvent.class)
    void preload() {
        if (properties.enabled() && properties.preload()) {
            Thread.ofPlatform().daemon().name("guard-models").start(() -> {
                try {
                    injection();
                    toxicity();
                } catch (RuntimeException e) {
                    log.warn("Guardrails: the classifiers could not be loaded ahead of the first request: {}",
                            e.toString());
                }
            });
        }
    }

    /** Whether both classifiers have been loaded (or found missing). */
    boolean loaded() {
        return injection != null && toxicityChecked;
    }

    public InjectionDetector injection() {
        InjectionDetector detector = injection;
        if (detector == null) {
            synchronized (this) {
                if (injection == null) {
                    // One intra-op thread: the texts are sentences (tens of tokens), too short to gain from splitting
                    // a run over cores, and ingestion checks chunks on all its threads at once, which a session
                    // spreading each run over every core oversubscribed.
                    embedder = Embedder.load(new EmbeddingProperties(EmbeddingModel.ALL_MINILM_L6_V2.id(), "", true,
                            1));
                    Path dir = Path.of(properties.injection().model());
                    JailguardMlp mlp = null;
                    if (Files.isRegularFile(dir.resolve(JailguardMlp.FILE))) {
                        mlp = JailguardMlp.load(dir);
                        log.info("Guardrails: prompt-injection classifier jailguard from {}", dir);
                    } else {
                        log.warn("Guardrails: jailguard's model is not at {} (hanul.guardrails.injection.model); "
                                + "injection is detected by similarity to known attacks only", dir);
                    }
                    injection = new InjectionDetector(embedder, mlp, properties.injection().threshold(),
                            properties.injection().similarityThreshold());
                }
                detector = injection;
            }
        }
        return detector;
    }

    /** @return null when the model is not installed */
    public ToxicityClassifier toxicity() {
        if (!toxicityChecked) {
            synchronized (this) {
                if (!toxicityChecked) {
                    Path file = Path.of(properties.toxicity().model());
                    if (Files.isRegularFile(file)) {
                        toxicity = ToxicityClassifier.load(file);
                        log.info("Guardrails: toxicity classifier from {}", file);
                    } else {
                        log.warn("Guardrails: the toxicity model is not at {} (hanul.guardrails.toxicity.model); "
                                + "answers are not checked for toxicity", file);
                    }
                    toxicityChecked = true;
                }
            }
        }
        return toxicity;
    }

    /** The monitoring's toxicity score: the same classifier as the output guardrail. */
    @Override
    public double toxicity(String text) {
        ToxicityClassifier classifier = toxicity();
        return classifier == null ? Double.NaN : classifier.score(text);
    }

    @Override
    public void close() {
        Embedder loaded = embedder;
        if (loaded != null) {
            loaded.close();
        }
    }
}
