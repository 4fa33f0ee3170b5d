package dev.hanul.tgi;

import dev.hanul.HanulApplication;
import dev.hanul.engine.EngineConfig;
import dev.hanul.inference.ServedModel;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Hugging Face text-generation-inference's API, so TGI clients (text_generation, huggingface_hub's InferenceClient,
 * LangChain's HuggingFaceEndpoint) work against Hanul unchanged: {@code POST /generate}, {@code POST
 * /generate_stream} (server-sent events), the compat route {@code POST /} and {@code GET /info}. A client that
 * disconnects cancels its generation.
 */
@RestController
class TgiController {

    private static final String VERSION = HanulApplication.class.getPackage().getImplementationVersion();

    private final ServedModel served;

    TgiController(ServedModel served) {
        this.served = served;
    }

    @PostMapping(path = "/generate", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<GenerateResponse> generate(@RequestBody GenerateRequest body) {
        return generate(body, false);
    }

    private Mono<GenerateResponse> generate(GenerateRequest body, boolean returnFullTextByDefault) {
        GenerationPlan plan = plan(body, false, returnFullTextByDefault);
        TokenStream stream = new TokenStream(plan, served.model().tokenizer());
        return served.generate(plan.request())
                .concatMapIterable(stream::accept)
                .then(Mono.fromSupplier(stream::response));
    }

    /**
     * Errors found before the first event are answered with their status (422, 429, 503) like {@code /generate};
     * an error after it can only be reported in the stream, as TGI does: one event {@code {"error", "error_type"}}.
     */
    @PostMapping(path = "/generate_stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Object>> generateStream(@RequestBody GenerateRequest body) {
        return generateStream(body, false);
    }

    private Flux<ServerSentEvent<Object>> generateStream(GenerateRequest body, boolean returnFullTextByDefault) {
        GenerationPlan plan = plan(body, true, returnFullTextByDefault);
        TokenStream stream = new TokenStream(plan, served.model().tokenizer());
        return served.generate(plan.request())
                .concatMapIterable(stream::accept)
                .<Object>map(event -> event)
                .onErrorResume(failure -> {
                    TgiErrors.Failure mapped = TgiErrors.map(failure);
                    return mapped != null ? Mono.just(mapped.body()) : Mono.error(failure);
                })
                .map(data -> ServerSentEvent.builder(data).build());
    }

    /**
     * TGI's oldest route, kept for the clients of Hugging Face's first Inference API: {@code stream} picks
     * /generate_stream's events or /generate's answer, which comes wrapped in an array as that API answered. As TGI
     * does for a text-generation model, return_full_text defaults to true here.
     */
    @PostMapping(path = "/")
    ResponseEntity<?> compatGenerate(@RequestBody CompatGenerateRequest body) {
        if (body.streaming()) {
            return ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM)
                    .body(generateStream(body.generateRequest(), true));
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .body(generate(body.generateRequest(), true).map(List::of));
    }

    @GetMapping(path = "/info", produces = MediaType.APPLICATION_JSON_VALUE)
    Info info() {
        TokenLimits limits = TokenLimits.of(served);
        EngineConfig config = served.engine().config();
        return new Info(served.id(), null, "text-generation", config.maxRunningSequences() + config.maxWaiting(), 1,
                GenerationPlan.MAX_STOP_SEQUENCES, limits.maxInputTokens(), limits.maxTotalTokens(), "hanul",
                VERSION != null ? VERSION : "development build", null, null);
    }

    private GenerationPlan plan(GenerateRequest body, boolean streaming, boolean returnFullTextByDefault) {
        return GenerationPlan.of(body, served.model().tokenizer(), TokenLimits.of(served), streaming,
                returnFullTextByDefault);
    }
}
