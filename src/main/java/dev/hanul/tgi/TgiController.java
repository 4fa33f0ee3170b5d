package dev.hanul.tgi;

import dev.hanul.HanulApplication;
import dev.hanul.api.Tenants;
import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.GenerationRequest;
import dev.hanul.inference.Inference;
import dev.hanul.inference.RoutedModel;
import dev.hanul.inference.SamplingOptions;
import dev.hanul.monitoring.InteractionNote;
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

    private final Inference inference;

    TgiController(Inference inference) {
        this.inference = inference;
    }

    @PostMapping(path = "/generate", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<GenerateResponse> generate(@RequestBody GenerateRequest body) {
        return generate(body, false);
    }

    private Mono<GenerateResponse> generate(GenerateRequest body, boolean returnFullTextByDefault) {
        RoutedModel model = inference.route(null, null);
        GenerationPlan plan = plan(model, body, false, returnFullTextByDefault);
        TokenStream stream = new TokenStream(plan, model.tokenizer());
        return generate(model, plan, body)
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
        RoutedModel model = inference.route(null, null);
        GenerationPlan plan = plan(model, body, true, returnFullTextByDefault);
        TokenStream stream = new TokenStream(plan, model.tokenizer());
        return generate(model, plan, body)
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
        RoutedModel model = inference.route(null, null);
        TokenLimits limits = TokenLimits.of(model);
        return new Info(model.name(), null, "text-generation", model.maxConcurrentRequests(), 1,
                SamplingOptions.MAX_STOP_SEQUENCES, limits.maxInputTokens(), limits.maxTotalTokens(), "hanul",
                VERSION != null ? VERSION : "development build", null, null);
    }

    private static GenerationPlan plan(RoutedModel model, GenerateRequest body, boolean streaming,
            boolean returnFullTextByDefault) {
        return GenerationPlan.of(body, model.tokenizer(), TokenLimits.of(model), streaming, returnFullTextByDefault);
    }

    /** TGI has no tenants: its requests are logged under the default one. */
    private static Flux<GenerationEvent> generate(RoutedModel model, GenerationPlan plan, GenerateRequest body) {
        return model.generate(GenerationRequest.of(plan.prompt(), model.constrain(model.sampling(plan.sampling(),
                plan.maxNewTokens()), plan.constraint())), InteractionNote.of("tgi", Tenants.DEFAULT, body.inputs())::addTo);
    }
}
