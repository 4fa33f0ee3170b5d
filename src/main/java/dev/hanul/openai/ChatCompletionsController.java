package dev.hanul.openai;

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
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /v1/chat/completions}, as OpenAI and vLLM answer it: one JSON body, or with {@code stream: true}
 * server-sent chunks ending with {@code [DONE]}. Everything is checked before the request reaches the engine.
 */
@RestController
class ChatCompletionsController {

    private final ServedModel served;
    private final ChatPrompt chatPrompt;
    private final TokenBudget budget;
    private final JsonMapper json;

    ChatCompletionsController(ServedModel served, ChatPrompt chatPrompt, TokenBudget budget, JsonMapper json) {
        this.served = served;
        this.chatPrompt = chatPrompt;
        this.budget = budget;
        this.json = json;
    }

    @PostMapping(path = "/v1/chat/completions", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> complete(@RequestBody ChatCompletionRequest request) {
        String model = RequestedModel.check(request.model(), served);
        refuseTools(request);
        if (request.streamOptions() != null && !request.streaming()) {
            throw OpenAiException.invalid("stream_options", "stream_options can only be given with stream: true.");
        }
        List<ChatMessage> conversation = JsonObjectMode.apply(request.responseFormat(),
                ChatMessages.of(request.messages()));
        int[] prompt = chatPrompt.tokens(conversation);
        // max_completion_tokens is OpenAI's newer name for max_tokens, and wins when both are given.
        String maxTokensParam = request.maxCompletionTokens() != null ? "max_completion_tokens" : "max_tokens";
        Integer requested = request.maxCompletionTokens() != null ? request.maxCompletionTokens()
                : request.maxTokens();
        int maxTokens = budget.maxTokens(prompt.length, "messages", requested, maxTokensParam, null);
        SamplingParams params = SamplingParamsMapper.map(request, maxTokens, logprobs(request),
                served.engine().config().maxRunningSequences());

        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = Instant.now().getEpochSecond();
        var text = new TokenText(served.model().tokenizer());
        Flux<GenerationEvent> events = served.generate(new GenerationRequest(id, prompt, params));
        if (request.streaming()) {
            boolean usage = request.streamOptions() != null && request.streamOptions().usage();
            return ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM).body(EventStream.of(
                    new ChatChunks(id, created, model, text).of(events, params.n(), usage), json));
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(events
                .collect(() -> new Samples(params.n(), params.logprobs() != null), Samples::add)
                .map(samples -> ChatCompletion.of(id, created, model, samples, text)));
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
