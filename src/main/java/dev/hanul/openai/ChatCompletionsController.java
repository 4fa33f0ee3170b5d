package dev.hanul.openai;

import dev.hanul.api.Tenants;
import dev.hanul.chat.Citation;
import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.GenerationRequest;
import dev.hanul.engine.chat.ChatMessage;
import dev.hanul.engine.sampling.SamplingParams;
import dev.hanul.inference.ServedModel;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /v1/chat/completions}, as OpenAI and vLLM answer it: one JSON body, or with {@code stream: true}
 * server-sent chunks ending with {@code [DONE]}. Everything is checked before the request reaches the engine. A RAG
 * request ({@link RagTarget}) gets its prompt from the chat service, which retrieves and assembles the sources, and
 * its response carries their citations; everything else (sampling, n, logprobs, streaming) is as for plain chat.
 */
@RestController
class ChatCompletionsController {

    private final ServedModel served;
    private final ChatPrompt chatPrompt;
    private final TokenBudget budget;
    private final RagChat rag;
    private final JsonObjectMode jsonObjectMode;
    private final JsonMapper json;

    ChatCompletionsController(ServedModel served, ChatPrompt chatPrompt, TokenBudget budget, RagChat rag,
            JsonObjectMode jsonObjectMode, JsonMapper json) {
        this.served = served;
        this.chatPrompt = chatPrompt;
        this.budget = budget;
        this.rag = rag;
        this.jsonObjectMode = jsonObjectMode;
        this.json = json;
    }

    @PostMapping(path = "/v1/chat/completions", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<?>> complete(@RequestHeader(name = Tenants.HEADER, required = false) String tenantHeader,
            @RequestBody ChatCompletionRequest request) {
        RagTarget target = RagTarget.of(request.model(), request.rag(), tenantHeader, served);
        refuseTools(request);
        if (request.streamOptions() != null && !request.streaming()) {
            throw OpenAiException.invalid("stream_options", "stream_options can only be given with stream: true.");
        }
        List<ChatMessage> conversation = JsonObjectMode.conversation(request.responseFormat(),
                ChatMessages.of(request.messages()));
        Integer logprobs = logprobs(request);
        // max_completion_tokens is OpenAI's newer name for max_tokens, and wins when both are given.
        String maxTokensParam = request.maxCompletionTokens() != null ? "max_completion_tokens" : "max_tokens";
        Integer requested = request.maxCompletionTokens() != null ? request.maxCompletionTokens()
                : request.maxTokens();
        if (target == null) {
            int[] prompt = chatPrompt.tokens(conversation);
            int maxTokens = budget.maxTokens(prompt.length, "messages", requested, maxTokensParam, null);
            return Mono.just(respond(request, served.id(), prompt, maxTokens, logprobs, null));
        }
        // The chat service fits the sources around the answer's reserve, so the answer's limit is the one it chose.
        return rag.prepare(target, conversation, requested, maxTokensParam).map(prepared -> respond(request,
                target.model(), prepared.request().prompt(), prepared.request().params().maxTokens(), logprobs,
                prepared.citations()));
    }

    /** @param citations null for plain chat */
    private ResponseEntity<?> respond(ChatCompletionRequest request, String model, int[] prompt, int maxTokens,
            Integer logprobs, List<Citation> citations) {
        SamplingParams params = jsonObjectMode.constrain(request.responseFormat(), SamplingParamsMapper.map(request,
                maxTokens, logprobs, served.engine().config().maxRunningSequences()));
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = Instant.now().getEpochSecond();
        var text = new TokenText(served.model().tokenizer());
        Flux<GenerationEvent> events = served.generate(new GenerationRequest(id, prompt, params));
        if (request.streaming()) {
            boolean usage = request.streamOptions() != null && request.streamOptions().usage();
            return ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM).body(EventStream.of(
                    new ChatChunks(id, created, model, text, citations).of(events, params, usage), json));
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(events
                .collect(() -> new Samples(params), Samples::add)
                .map(samples -> ChatCompletion.of(id, created, model, samples, text, citations)));
    }

    /** {@code logprobs: true} with {@code top_logprobs} alternatives (0 to 20); null when not asked for. */
    private static Integer logprobs(ChatCompletionRequest request) {
        Integer top = request.topLogprobs();
        if (!Boolean.TRUE.equals(request.logprobs())) {
            if (top != null && top > 0) {
                throw OpenAiException.invalid("top_logprobs", "top_logprobs needs logprobs: true.");
            }
            return null;
        }
        if (top != null && (top < 0 || top > SamplingParams.MAX_LOGPROBS)) {
            throw OpenAiException.invalid("top_logprobs", "top_logprobs must be between 0 and %d, got %d."
                    .formatted(SamplingParams.MAX_LOGPROBS, top));
        }
        return top == null ? 0 : top;
    }

    private static void refuseTools(ChatCompletionRequest request) {
        refuse("tools", request.tools());
        refuse("functions", request.functions());
        refuse("function_call", request.functionCall());
        JsonNode choice = request.toolChoice();
        if (choice != null && !choice.isNull() && !(choice.isString() && choice.stringValue().equals("none"))) {
            throw OpenAiException.invalid("tool_choice", "Tools and function calling are not supported by this "
                    + "service; leave tool_choice out or set it to \"none\".");
        }
    }

    private static void refuse(String param, JsonNode value) {
        if (value != null && !value.isNull() && !(value.isArray() && value.isEmpty())) {
            throw OpenAiException.invalid(param, "Tools and function calling are not supported by this service; "
                    + "leave " + param + " out.");
        }
    }
}
