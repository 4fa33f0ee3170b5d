package dev.hanul.openai;

import dev.hanul.api.Tenants;
import dev.hanul.chat.Citation;
import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.GenerationRequest;
import dev.hanul.engine.chat.ToolCallFormat;
import dev.hanul.engine.chat.ToolCallParser;
import dev.hanul.engine.sampling.SamplingParams;
import dev.hanul.inference.ChatTools;
import dev.hanul.inference.Inference;
import dev.hanul.inference.Parameter;
import dev.hanul.inference.RoutedModel;
import dev.hanul.monitoring.InteractionNote;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /v1/chat/completions}, as OpenAI and vLLM answer it: one JSON body, or with {@code stream: true}
 * server-sent chunks ending with {@code [DONE]}. It only translates: the inference façade routes, encodes, budgets,
 * checks sampling and generates; a RAG request ({@link RagTarget}) gets its prompt from the RAG entry point, and its
 * response carries the citations. Structured output ({@link StructuredOutput}) and tools ({@link OpenAiTools}) are
 * read here and enforced, rendered and parsed by the façade and the engine.
 */
@RestController
class ChatCompletionsController {

    private final Inference inference;
    private final RagChat rag;
    private final JsonMapper json;

    ChatCompletionsController(Inference inference, RagChat rag, JsonMapper json) {
        this.inference = inference;
        this.rag = rag;
        this.json = json;
    }

    @PostMapping(path = "/v1/chat/completions", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<?>> complete(@RequestHeader(name = Tenants.HEADER, required = false) String tenantHeader,
            @RequestBody ChatCompletionRequest request, ServerWebExchange exchange) {
        // max_completion_tokens is OpenAI's newer name for max_tokens, and wins when both are given.
        boolean newName = request.maxCompletionTokens() != null;
        StructuredOutput output = StructuredOutput.of(request);
        var names = new OpenAiParameters(newName ? "max_completion_tokens" : "max_tokens", "messages",
                output == null ? "response_format" : output.field()).on(exchange);
        Integer requested = newName ? request.maxCompletionTokens() : request.maxTokens();
        RagTarget target = RagTarget.of(request.model(), request.rag(), tenantHeader);
        ChatTools tools = OpenAiTools.of(request);
        if (output != null && tools.requiresCall()) {
            throw OpenAiException.invalid(output.field(), ("%s cannot be combined with a required tool call "
                    + "(tool_choice %s): the output is the call. Leave one of them out.").formatted(output.field(),
                    request.toolChoice()));
        }
        if (request.streamOptions() != null && !request.streaming()) {
            throw OpenAiException.invalid("stream_options", "stream_options can only be given with stream: true.");
        }
        List<Map<String, Object>> messages = ChatMessages.of(request.messages());
        List<Map<String, Object>> conversation = output == null ? messages : output.conversation(messages);
        var sampling = OpenAiSampling.options(request, logprobs(request));
        if (target == null) {
            RoutedModel model = inference.route(request.model(), request.user());
            int[] prompt = model.encodeChat(conversation, tools);
            int maxTokens = model.maxTokens(prompt.length, Parameter.MESSAGES, requested, null);
            SamplingParams params = model.constrain(model.constrain(model.sampling(sampling, maxTokens),
                    output == null ? null : output.constraint()), tools);
            return Mono.just(respond(request, model, model.name(), prompt, params, null, tools.offered()
                    ? model.toolCallFormat() : null, names, InteractionNote.of("openai.chat",
                    Tenants.resolve(tenantHeader, null), ChatMessages.lastUserText(conversation))));
        }
        if (tools.offered()) {
            throw OpenAiException.invalid("tools", "tools cannot be offered with rag: answers from documents do not "
                    + "call tools. Leave tools out, or set tool_choice to \"none\".");
        }
        // The RAG entry point fits the sources around the answer's reserve, so the answer's limit is the one it chose.
        return rag.prepare(target, ChatMessages.plain(conversation), sampling, requested, request.user())
                .map(prepared -> respond(request, prepared.model(), target.model(), prepared.request().prompt(),
                        prepared.model().constrain(prepared.request().params(), output == null ? null
                                : output.constraint()), prepared.citations(), null, names,
                        prepared.interactionNote("openai.chat")));
    }

    /**
     * @param citations null for plain chat
     * @param tools     the model's tool-call format when tools were offered (the output is parsed for calls), else null
     */
    private ResponseEntity<?> respond(ChatCompletionRequest request, RoutedModel model, String name, int[] prompt,
            SamplingParams params, List<Citation> citations, ToolCallFormat tools, OpenAiParameters names,
            InteractionNote note) {
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = Instant.now().getEpochSecond();
        var text = new TokenText(model.tokenizer());
        Flux<GenerationEvent> events = model.generate(new GenerationRequest(id, prompt, params), note::addTo);
        if (request.streaming()) {
            boolean usage = request.streamOptions() != null && request.streamOptions().usage();
            return ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM).body(EventStream.of(
                    new ChatChunks(id, created, name, text, citations, tools).of(events, params, usage), json,
                    names));
        }
        ToolCallParser parser = tools == null ? null : new ToolCallParser(tools);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(events
                .collect(() -> new Samples(params), Samples::add)
                .map(samples -> ChatCompletion.of(id, created, name, samples, text, citations, parser)));
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
}
