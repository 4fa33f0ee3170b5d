package dev.hanul.openai;

import dev.hanul.inference.Parameter;
import org.springframework.web.server.ServerWebExchange;

/**
 * The OpenAI API's names for the parameters the inference façade names, for one request: whether its limit came as
 * max_tokens or max_completion_tokens, whether its prompt is messages or prompt, and which field asked for structured
 * output (response_format.json_schema.schema, guided_json, structured_outputs.regex, ...). Controllers keep them on
 * the exchange, so that the error renderer words a refusal with the names the client sent.
 */
record OpenAiParameters(String maxTokens, String prompt, String constraint) implements Parameter.Names {

    private static final String ATTRIBUTE = OpenAiParameters.class.getName();
    static final OpenAiParameters CHAT = new OpenAiParameters("max_tokens", "messages", "response_format");

    OpenAiParameters(String maxTokens, String prompt) {
        this(maxTokens, prompt, "response_format");
    }

    /** These names, with the field that asked for structured output. */
    OpenAiParameters withConstraint(String field) {
        return new OpenAiParameters(maxTokens, prompt, field);
    }

    /** Remembers these names for the request's errors. */
    OpenAiParameters on(ServerWebExchange exchange) {
        exchange.getAttributes().put(ATTRIBUTE, this);
        return this;
    }

    /** The names a request's controller chose, or the chat completion's by default. */
    static OpenAiParameters of(ServerWebExchange exchange) {
        return exchange.getAttributeOrDefault(ATTRIBUTE, CHAT);
    }

    @Override
    public String of(Parameter parameter) {
        return switch (parameter) {
            case MODEL -> "model";
            case MESSAGES -> "messages";
            case PROMPT -> prompt;
            case MAX_TOKENS -> maxTokens;
            case MIN_TOKENS -> "min_tokens";
            case TEMPERATURE -> "temperature";
            case TOP_P -> "top_p";
            case TOP_K -> "top_k";
            case MIN_P -> "min_p";
            case N -> "n";
            case SEED -> "seed";
            case STOP -> "stop";
            case STOP_TOKEN_IDS -> "stop_token_ids";
            case PRESENCE_PENALTY -> "presence_penalty";
            case FREQUENCY_PENALTY -> "frequency_penalty";
            case REPETITION_PENALTY -> "repetition_penalty";
            case LOGPROBS -> prompt.equals("prompt") ? "logprobs" : "top_logprobs";
            case LOGIT_BIAS -> "logit_bias";
            case CONVERSATION_ID -> "user";
            case TENANT -> "model";
            case RETRIEVAL_TOP_K -> "rag.top_k";
            case RETRIEVAL_FILTERS -> "rag.filter";
            case HYBRID_WEIGHT -> "rag.hybrid_weight";
            case MIN_SCORE -> "rag.min_score";
            case TEMPLATE_NAME -> "rag.template";
            case TEMPLATE_VERSION -> "rag.template_version";
            case OUTPUT_CONSTRAINT -> constraint;
            case TOOLS -> "tools";
            case TOOL_CHOICE -> "tool_choice";
            case RERANK_CANDIDATES -> "rag.rerank_candidates";
        };
    }
}
