package dev.hanul.openai;

import dev.hanul.api.Tenants;
import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.GenerationRequest;
import dev.hanul.engine.sampling.SamplingParams;
import dev.hanul.engine.tokenizer.Tokenizer;
import dev.hanul.inference.Inference;
import dev.hanul.inference.Parameter;
import dev.hanul.inference.RoutedModel;
import dev.hanul.monitoring.InteractionNote;
import java.time.Instant;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /v1/completions}: the legacy text completion, as vLLM serves it. The prompt is raw text (no chat
 * template), tokenized with the model's BOS; max_tokens defaults to 16, as in OpenAI and vLLM. Structured output
 * ({@link StructuredOutput}) is enforced as for chat, without an added instruction (there is no conversation).
 */
@RestController
class CompletionsController {

    /** The default of OpenAI's and vLLM's /v1/completions. */
    static final int DEFAULT_MAX_TOKENS = 16;
    /** OpenAI's limit for logprobs on /v1/completions. */
    static final int MAX_LOGPROBS = 5;

    private final Inference inference;
    private final JsonMapper json;

    CompletionsController(Inference inference, JsonMapper json) {
        this.inference = inference;
        this.json = json;
    }

    @PostMapping(path = "/v1/completions", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> complete(@RequestHeader(name = Tenants.HEADER, required = false) String tenantHeader,
            @RequestBody CompletionRequest request, ServerWebExchange exchange) {
        StructuredOutput output = StructuredOutput.of(request);
        var names = new OpenAiParameters("max_tokens", "prompt", output == null ? "response_format"
                : output.field()).on(exchange);
        RoutedModel model = inference.route(request.model(), request.user());
        refuseUnsupported(request);
        if (request.streamOptions() != null && !request.streaming()) {
            throw OpenAiException.invalid("stream_options", "stream_options can only be given with stream: true.");
        }
        int[] prompt = prompt(request.prompt(), model);
        int maxTokens = model.maxTokens(prompt.length, Parameter.PROMPT, request.maxTokens(),
                request.maxTokens() == null ? DEFAULT_MAX_TOKENS : null);
        Integer logprobs = request.logprobs();
        if (logprobs != null && (logprobs < 0 || logprobs > MAX_LOGPROBS)) {
            throw OpenAiException.invalid("logprobs", "logprobs must be between 0 and %d, got %d."
                    .formatted(MAX_LOGPROBS, logprobs));
        }
        SamplingParams params = model.constrain(model.sampling(OpenAiSampling.options(request, logprobs),
                maxTokens), output == null ? null : output.constraint());

        String id = "cmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = Instant.now().getEpochSecond();
        var text = new TokenText(model.tokenizer());
        var note = InteractionNote.of("openai.completions", Tenants.resolve(tenantHeader, null),
                request.prompt().isString() ? request.prompt().asString() : null);
        Flux<GenerationEvent> events = model.generate(new GenerationRequest(id, prompt, params), note::addTo);
        if (request.streaming()) {
            boolean usage = request.streamOptions() != null && request.streamOptions().usage();
            return ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM).body(EventStream.of(
                    new CompletionChunks(id, created, model.name(), text).of(events, params, usage), json, names));
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(events
                .collect(() -> new Samples(params), Samples::add)
                .map(samples -> Completion.of(id, created, model.name(), samples, text)));
    }

    /** A string, an array of one string, or an array of token ids (taken as they are). */
    private static int[] prompt(JsonNode prompt, RoutedModel model) {
        Tokenizer tokenizer = model.tokenizer();
        if (prompt == null || prompt.isNull()) {
            throw OpenAiException.invalid("prompt", "prompt is missing; send the text to continue.");
        }
        if (prompt.isString()) {
            return model.encodeText(prompt.stringValue());
        }
        if (prompt.isArray() && prompt.size() == 1 && prompt.get(0).isString()) {
            return model.encodeText(prompt.get(0).stringValue());
        }
        if (prompt.isArray() && !prompt.isEmpty() && prompt.valueStream().allMatch(JsonNode::isInt)) {
            int[] tokens = prompt.valueStream().mapToInt(JsonNode::intValue).toArray();
            for (int i = 0; i < tokens.length; i++) {
                if (tokens[i] < 0 || tokens[i] >= tokenizer.vocabularySize()) {
                    throw OpenAiException.invalid("prompt", "prompt[%d] = %d is not a token id of this model "
                            .formatted(i, tokens[i]) + "(0 to %d).".formatted(tokenizer.vocabularySize() - 1));
                }
            }
            return tokens;
        }
        throw OpenAiException.invalid("prompt", "prompt must be a string, an array of one string or an array of "
                + "token ids; batches of several prompts are not supported, send one request per prompt.");
    }

    private static void refuseUnsupported(CompletionRequest request) {
        if (Boolean.TRUE.equals(request.echo())) {
            throw OpenAiException.invalid("echo", "echo is not supported by this service; leave it out.");
        }
        if (request.suffix() != null) {
            throw OpenAiException.invalid("suffix", "suffix is not supported by this service; leave it out.");
        }
        if (request.bestOf() != null && request.bestOf() != 1) {
            throw OpenAiException.invalid("best_of", "best_of is not supported by this service; use n for several "
                    + "completions.");
        }
    }
}
