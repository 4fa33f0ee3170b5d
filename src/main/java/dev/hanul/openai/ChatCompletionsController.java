package dev.hanul.openai;

import dev.hanul.api.Tenants;
import dev.hanul.chat.Citation;
import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.GenerationRequest;
import dev.hanul.engine.chat.ChatMessage;
import dev.hanul.engine.sampling.SamplingParams;
import dev.hanul.inference.Inference;
import dev.hanul.inference.Parameter;
import dev.hanul.inference.RoutedModel;
import dev.hanul.monitoring.InteractionNote;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /v1/chat/completions}, as OpenAI and vLLM answer it: one JSON body, or with {@code stream: true}
 * server-sent chunks ending with {@code [DONE]}. It only translates: the inference façade routes, encodes, budgets,
 * checks sampling and generates; a RAG request ({@link RagTarget}) gets its prompt from the RAG entry point, and its
 * response carries the citations.
 */
@RestController
class ChatCompletionsController {

    private final Inference inference;
    private final RagChat rag;
    private final JsonObjectMode jsonObjectMode;
    private final JsonMapper json;

    ChatCompletionsController(Inference inference, RagChat rag, JsonObjectMode jsonObjectMode, JsonMapper json) {
        this.inference = inference;
        this.rag = rag;
        this.jsonObjectMode = jsonObjectMode;
        this.json = json;
    }

    @PostMapping(path = "/v1/chat/completions", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<?>> complete(@RequestHeader(name = Tenants.HEADER, required = false) String tenantHeader,
            @RequestBody ChatCompletionRequest request, ServerWebExchange exchange) {
        // max_completion_tokens is OpenAI's newer name for max_tokens, and wins when both are given.
        boolean newName = request.maxCompletionTokens() != null;
        var names = new OpenAiParameters(newName ? "max_completion_tokens" : "max_tokens", "messages").on(exchange);
        Integer requested = newName ? request.maxCompletionTokens() : request.maxTokens();
        RagTarget target = RagTarget.of(request.model(), request.rag(), tenantHeader);
        refuseTools(request);
        if (request.streamOptions() != null && !request.streaming()) {
            throw OpenAiException.invalid("stream_options", "stream_options can only be given with stream: true.");
        }
        List<ChatMessage> conversation = JsonObjectMode.conversation(request.responseFormat(),
                ChatMessages.of(request.messages()));
        var sampling = OpenAiSampling.options(request, logprobs(request));
        if (target == null) {
            RoutedModel model = inference.route(request.model(), request.user());
            int[] prompt = model.encodeChat(conversation);
            int maxTokens = model.maxTokens(prompt.length, Parameter.MESSAGES, requested, null);
            return Mono.just(respond(request, model, model.name(), prompt, model.sampling(sampling, maxTokens),
                    null, names, InteractionNote.of("openai.chat", Tenants.resolve(tenantHeader, null),
                            lastUserText(conversation))));
        }
        // The RAG entry point fits the sources around the answer's reserve, so the answer's limit is the one it chose.
        return rag.prepare(target, conversation, sampling, requested, request.user()).map(prepared -> respond(
                request, prepared.model(), target.model(), prepared.request().prompt(), prepared.request().params(),
                prepared.citations(), names, prepared.interactionNote("openai.chat")));
    }

    /** @param citations null for plain chat */
    private ResponseEntity<?> respond(ChatCompletionRequest request, RoutedModel model, String name, int[] prompt,
            SamplingParams sampling, List<Citation> citations, OpenAiParameters names, InteractionNote note) {
        SamplingParams params = jsonObjectMode.constrain(request.responseFormat(), sampling, model.tokenizer());
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = Instant.now().getEpochSecond();
        var text = new TokenText(model.tokenizer());
        Flux<GenerationEvent> events = model.generate(new GenerationRequest(id, prompt, params), note::addTo);
        if (request.streaming()) {
            boolean usage = request.streamOptions() != null && request.streamOptions().usage();
            return ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM).body(EventStream.of(
                    new ChatChunks(id, created, name, text, citations).of(events, params, usage), json, names));
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(events
                .collect(() -> new Samples(params), Samples::add)
                .map(samples -> ChatCompletion.of(id, created, name, samples, text, citations)));
    }

    /** The question, for the interaction log: the last user message. */
    private static String lastUserText(List<ChatMessage> conversation) {
        for (int i = conversation.size() - 1; i >= 0; i--) {
            if (conversation.get(i).role().equals("user")) {
                return conversation.get(i).content();
            }
        }
        return null;
    }

    /** {@code logprobs: true} with {@code top_logprobs} alternatives; null when not asked for. */
    private static Integer logprobs(ChatCompletionRequest request) {
        Integer top = request.topLogprobs();
        if (!Boolean.TRUE.equals(request.logprobs())) {
            if (top != null && top > 0) {
                throw OpenAiException.invalid("top_logprobs", "top_logprobs needs logprobs: true.");
            }
            return null;
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
