package dev.hanul.tgi;

import dev.hanul.engine.sampling.SamplingParams;
import dev.hanul.engine.tokenizer.Tokenizer;
import dev.hanul.inference.OutputConstraint;
import dev.hanul.inference.SamplingOptions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import tools.jackson.databind.JsonNode;

/**
 * A TGI request checked and translated for the engine, with what the response needs to know about it. The checks and
 * their messages follow TGI's router (validation.rs), with how to fix the request added; parameters Hanul does not
 * implement are refused rather than ignored.
 *
 * @param prompt         the input's tokens
 * @param sampling       the sampling, for the inference façade to check and map
 * @param inputs         the input text, for return_full_text
 * @param returnFullText prepend the input to generated_text
 * @param details        report finish reason, tokens and log probabilities
 * @param seed           the sampler's seed, null when decoding greedily (TGI reports it only when sampling)
 * @param maxNewTokens   the most tokens to generate
 * @param hasStopSequences whether stop sequences may end the generation
 * @param constraint     what {@code grammar} holds the output to, or null
 */
record GenerationPlan(int[] prompt, SamplingOptions sampling, String inputs, boolean returnFullText, boolean details,
                      Long seed, int maxNewTokens, boolean hasStopSequences, OutputConstraint constraint) {

    /** TGI's default for max_new_tokens. */
    static final int DEFAULT_MAX_NEW_TOKENS = 100;

    int inputLength() {
        return prompt.length;
    }

    /**
     * @param streaming               whether the tokens are streamed (log probabilities are then always reported, as
     *                                TGI does)
     * @param returnFullTextByDefault return_full_text when the request leaves it out (true only on the compat route)
     * @throws InvalidGenerateRequest naming the parameter and how to fix it
     */
    static GenerationPlan of(GenerateRequest body, Tokenizer tokenizer, TokenLimits limits, boolean streaming,
            boolean returnFullTextByDefault) {
        if (body.inputs() == null || body.inputs().isEmpty()) {
            throw invalid("`inputs` cannot be empty: send the text to continue as \"inputs\".");
        }
        GenerateRequest.Parameters p = body.parameters() != null ? body.parameters()
                : GenerateRequest.Parameters.ABSENT;
        refuseUnsupported(p);
        checkRanges(p);
        boolean sampling = Boolean.TRUE.equals(p.doSample()) || hasWarpers(p);
        int maxNewTokens = p.maxNewTokens() != null ? p.maxNewTokens() : DEFAULT_MAX_NEW_TOKENS;
        int[] prompt = prompt(body.inputs(), p.truncate(), tokenizer, limits, maxNewTokens);
        Long seed = !sampling ? null
                : p.seed() != null ? p.seed() : ThreadLocalRandom.current().nextLong(Long.MAX_VALUE);
        boolean details = Boolean.TRUE.equals(p.details());
        int topN = p.topNTokens() != null ? p.topNTokens() : 0;
        List<String> stop = p.stop() != null ? p.stop() : List.of();
        var options = new SamplingOptions(!sampling ? 0.0 : p.temperature() != null ? p.temperature() : 1.0,
                sampling && p.topP() != null ? p.topP().doubleValue() : null,
                sampling ? p.topK() : null, null, null, seed, stop, null, null,
                p.frequencyPenalty() != null ? p.frequencyPenalty().doubleValue() : null,
                p.repetitionPenalty() != null ? p.repetitionPenalty().doubleValue() : null, null,
                streaming || details ? Integer.valueOf(topN) : null, false);
        return new GenerationPlan(prompt, options, body.inputs(),
                p.returnFullText() != null ? p.returnFullText() : returnFullTextByDefault, details, seed,
                maxNewTokens, !stop.isEmpty(), grammar(p.grammar()));
    }

    /**
     * TGI's {@code grammar}: {@code {"type": "json", "value": <JSON Schema>}} (the schema as an object, or as its JSON
     * text) or {@code {"type": "regex", "value": "<regular expression>"}}.
     */
    private static OutputConstraint grammar(JsonNode grammar) {
        if (grammar == null || grammar.isNull()) {
            return null;
        }
        String type = grammar.path("type").asString("");
        JsonNode value = grammar.path("value");
        return switch (type) {
            case "json", "json_object" -> {
                if (value.isObject() || value.isBoolean()) {
                    yield new OutputConstraint.JsonSchema(value.toString());
                }
                if (value.isString()) {
                    yield new OutputConstraint.JsonSchema(value.stringValue());
                }
                throw invalid("`grammar.value` must be a JSON Schema for `\"type\": \"json\"` (an object, or its "
                        + "JSON text).");
            }
            case "regex" -> {
                if (!value.isString()) {
                    throw invalid("`grammar.value` must be a string for `\"type\": \"regex\"`.");
                }
                yield new OutputConstraint.Regex(value.stringValue());
            }
            default -> throw invalid("`grammar.type` must be \"json\" or \"regex\", got " + grammar.path("type")
                    + ". Send {\"type\": \"json\", \"value\": {...schema...}} or {\"type\": \"regex\", "
                    + "\"value\": \"...\"}.");
        };
    }

    private static void refuseUnsupported(GenerateRequest.Parameters p) {
        if (p.bestOf() != null && p.bestOf() != 1) {
            throw invalid(p.bestOf() < 1 ? "`best_of` must be > 0 and <= 1. Given: " + p.bestOf()
                    : "`best_of` > 1 is not supported: Hanul samples one sequence per request. Send best_of 1 or "
                    + "leave it out, and send several requests to compare samples.");
        }
        if (p.typicalP() != null) {
            throw invalid("`typical_p` (typical decoding) is not supported; leave it out and use top_p or top_k.");
        }
        if (Boolean.TRUE.equals(p.watermark())) {
            throw invalid("`watermark` is not supported; send false or leave it out.");
        }
        if (Boolean.TRUE.equals(p.decoderInputDetails())) {
            throw invalid("`decoder_input_details` is not supported: the prompt tokens' log probabilities are not "
                    + "computed. Send false or leave it out.");
        }
        if (p.adapterId() != null) {
            throw invalid("`adapter_id`: LoRA adapters are not supported; leave it out.");
        }
    }

    private static void checkRanges(GenerateRequest.Parameters p) {
        if (p.temperature() != null && !(p.temperature() > 0)) {
            throw invalid("`temperature` must be strictly positive. Given: " + p.temperature()
                    + ". For greedy decoding leave it out and send do_sample false.");
        }
        if (p.topK() != null && p.topK() <= 0) {
            throw invalid("`top_k` must be strictly positive. Given: " + p.topK() + ". Leave it out to keep all tokens.");
        }
        if (p.topP() != null && !(p.topP() > 0 && p.topP() < 1)) {
            throw invalid("`top_p` must be > 0.0 and < 1.0. Given: " + p.topP() + ". Leave it out to keep all tokens.");
        }
        if (p.maxNewTokens() != null && p.maxNewTokens() <= 0) {
            throw invalid("`max_new_tokens` must be strictly positive. Given: " + p.maxNewTokens());
        }
        // Checked here, not only by the façade: without details or streaming no log probabilities are asked for.
        if (p.topNTokens() != null && (p.topNTokens() < 0 || p.topNTokens() > SamplingParams.MAX_LOGPROBS)) {
            throw invalid("`top_n_tokens` must be >= 0 and <= %d. Given: %d".formatted(SamplingParams.MAX_LOGPROBS,
                    p.topNTokens()));
        }
        if (p.seed() != null && p.seed() < 0) {
            throw invalid("`seed` must be a non-negative integer. Given: " + p.seed());
        }
    }

    /** TGI samples whenever a parameter reshapes the distribution, whatever do_sample says. */
    private static boolean hasWarpers(GenerateRequest.Parameters p) {
        return p.temperature() != null && p.temperature() != 1f || p.topK() != null || p.topP() != null;
    }

    private static int[] prompt(String inputs, Integer truncate, Tokenizer tokenizer, TokenLimits limits,
            int maxNewTokens) {
        if (truncate != null && (truncate <= 0 || truncate > limits.maxInputTokens())) {
            throw invalid("`truncate` must be strictly positive and less than or equal to %d. Given: %d"
                    .formatted(limits.maxInputTokens(), truncate));
        }
        int[] prompt = tokenizer.encodePrompt(inputs);
        if (truncate != null && prompt.length > truncate) {
            // TGI truncates on the left: the end of the input is what the continuation follows.
            prompt = Arrays.copyOfRange(prompt, prompt.length - truncate, prompt.length);
        }
        if (prompt.length > limits.maxInputTokens()) {
            throw invalid("`inputs` must have less than %d tokens. Given: %d. Shorten the input or set `truncate`."
                    .formatted(limits.maxInputTokens() + 1, prompt.length));
        }
        if (prompt.length + maxNewTokens > limits.maxTotalTokens()) {
            throw invalid(("`inputs` tokens + `max_new_tokens` must be <= %d. Given: %d `inputs` tokens and %d "
                    + "`max_new_tokens`. Lower max_new_tokens or shorten the input.")
                    .formatted(limits.maxTotalTokens(), prompt.length, maxNewTokens));
        }
        return prompt;
    }

    private static InvalidGenerateRequest invalid(String message) {
        return new InvalidGenerateRequest(message);
    }
}
