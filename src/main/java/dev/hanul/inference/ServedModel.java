package dev.hanul.inference;

import dev.hanul.config.DataDirectory;
import dev.hanul.engine.EngineOverloadedException;
import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.GenerationRequest;
import dev.hanul.engine.InferenceEngine;
import dev.hanul.engine.LoadedModel;
import dev.hanul.inference.ModelState.Phase;
import dev.hanul.model.ModelDownloadException;
import dev.hanul.model.ModelDownloader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The model the service serves, with its engine. It loads on a background thread once the context has started (a
 * download can take minutes), so health and readiness answer meanwhile; requests that need it before it is ready get
 * a 503 ({@link ModelUnavailableException}).
 */
@Component
public class ServedModel implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ServedModel.class);

    private final ModelProperties properties;
    private final Path modelDirectory;
    private volatile ModelState state = new ModelState(Phase.LOADING, "not started");
    private volatile LoadedModel loaded;
    private volatile InferenceEngine engine;
    private volatile boolean running;

    public ServedModel(ModelProperties properties, DataDirectory dataDirectory) {
        this.properties = properties;
        this.modelDirectory = dataDirectory.path().resolve("models");
    }

    public ModelState state() {
        return state;
    }

    /** The model's id in the APIs. */
    public String id() {
        if (properties.name() != null && !properties.name().isBlank()) {
            return properties.name();
        }
        String file = properties.path() != null ? properties.path().getFileName().toString() : properties.file();
        return file.endsWith(".gguf") ? file.substring(0, file.length() - ".gguf".length()) : file;
    }

    /** The loaded model (tokenizer, chat template, shape), or 503 while it is not ready. */
    public LoadedModel model() {
        requireReady();
        return loaded;
    }

    /** The engine, or 503 while the model is not ready. */
    public InferenceEngine engine() {
        requireReady();
        return engine;
    }

    /**
     * Runs a request on the engine. The events come as the engine produces them and as far as the subscriber asks;
     * cancelling the subscription (a client that went away) cancels the generation and frees its KV blocks. The whole
     * generation, queueing included, is bounded by {@code hanul.model.request-timeout}.
     *
     * @throws ResponseStatusException 400 when the engine refuses the request (the reason names the parameter), 503
     *                                 when its queue is full or the model is not ready
     */
    public Flux<GenerationEvent> generate(GenerationRequest request) {
        InferenceEngine target = engine();
        Flux<GenerationEvent> events;
        try {
            events = JdkFlowAdapter.flowPublisherToFlux(target.submit(request));
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage(), e);
        } catch (EngineOverloadedException | IllegalStateException e) {
            throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage()
                    + ". Retry with a backoff.", e);
        }
        Duration timeout = properties.requestTimeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        // A deadline for the whole stream, not a gap between events: each event's timeout is the time still left.
        return events.timeout(Mono.delay(timeout),
                event -> Mono.delay(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))),
                Flux.error(() -> new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT,
                        "The generation ran longer than hanul.model.request-timeout (%s) and was cancelled; ask for "
                                .formatted(timeout) + "fewer tokens or raise the setting",
                        new TimeoutException())));
    }

    private void requireReady() {
        if (state.phase() != Phase.READY) {
            throw new ModelUnavailableException(state);
        }
    }

    @Override
    public void start() {
        running = true;
        Thread.ofPlatform().name("model-loader").daemon().start(this::load);
    }

    private void load() {
        try {
            Path file = resolveFile();
            state = new ModelState(Phase.LOADING, "loading " + file);
            long started = System.nanoTime();
            LoadedModel opened = LoadedModel.open(file, properties.threadCount());
            try {
                engine = new InferenceEngine(opened.model(), opened.tokenizer(), properties.engineConfig());
            } catch (RuntimeException e) {
                opened.close();
                throw e;
            }
            loaded = opened;
            state = new ModelState(Phase.READY, file.toString());
            log.info("Model {} ({}) ready in {} ms: {} KV tokens, {} threads", id(), file,
                    (System.nanoTime() - started) / 1_000_000, engine.kvCapacityTokens(), properties.threadCount());
            if (!running) {
                close(); // stop() came while loading
            }
        } catch (ModelDownloadException e) {
            // The message names the address, the cause and the way out; a stack trace would only bury it.
            state = new ModelState(Phase.FAILED, e.getMessage());
            log.error("The model could not be loaded: {}", e.getMessage());
        } catch (RuntimeException e) {
            state = new ModelState(Phase.FAILED, e.getMessage());
            log.error("The model could not be loaded: {}", e.getMessage(), e);
        }
    }

    private Path resolveFile() {
        if (properties.path() != null) {
            if (!Files.isRegularFile(properties.path())) {
                throw new IllegalStateException("hanul.model.path " + properties.path().toAbsolutePath()
                        + " is not a file; point it at a GGUF model, or unset it to download the default model");
            }
            return properties.path();
        }
        Path target = modelDirectory.resolve(properties.file());
        if (Files.isRegularFile(target)) {
            return target;
        }
        if (properties.offline()) {
            throw new IllegalStateException(("%s is not there and hanul.model.offline is set; download it with "
                    + "`bin/hanul model pull`, or set hanul.model.path to a GGUF file").formatted(target));
        }
        var source = ModelDownloader.huggingFace(properties.hub(), properties.repository(), properties.file());
        log.info("Downloading the model from {} to {}", source, target);
        state = new ModelState(Phase.DOWNLOADING, "downloading " + source);
        return new ModelDownloader().download(source, target, properties.sha256(), (done, total) ->
                state = new ModelState(Phase.DOWNLOADING, total > 0
                        ? "downloading %s: %d of %d MB".formatted(source, done >> 20, total >> 20)
                        : "downloading %s: %d MB".formatted(source, done >> 20)));
    }

    @Override
    public void stop() {
        running = false;
        if (state.phase() == Phase.READY) {
            close();
        }
    }

    private synchronized void close() {
        state = new ModelState(Phase.STOPPED, "the service is shutting down");
        if (engine != null) {
            engine.close();
            engine = null;
        }
        if (loaded != null) {
            loaded.close();
            loaded = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // Below the web server's phases, so it stops after the server has stopped taking requests (and starts
        // loading before the server opens: the load runs on its own thread anyway).
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }
}
