package dev.hanul.openai;

import dev.hanul.inference.SamplingOptions;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Translates the sampling fields of a request into the façade's {@link SamplingOptions}, with OpenAI's defaults
 * (temperature 1). The values are checked by the façade; only what is OpenAI's own (the shape of stop, logit_bias) is
 * checked here.
 */
final class OpenAiSampling {

    private static final double MAX_TEMPERATURE = 2;

    private OpenAiSampling() {
    }

    /** @param logprobs alternatives per token to report, or null for no log probabilities */
    static SamplingOptions options(SamplingFields fields, Integer logprobs) {
        JsonNode bias = fields.logitBias();
        if (bias != null && !bias.isNull() && !(bias.isObject() && bias.isEmpty())) {
            throw OpenAiException.invalid("logit_bias", "logit_bias is not supported by this service; leave it out.");
        }
        // OpenAI's own ceiling; the façade checks the rest of the range.
        if (fields.temperature() != null && fields.temperature() > MAX_TEMPERATURE) {
            throw OpenAiException.invalid("temperature", "temperature must be between 0 and 2, got "
                    + fields.temperature() + ".");
        }
        return new SamplingOptions(fields.temperature() == null ? 1.0 : fields.temperature(), fields.topP(),
                fields.topK(), fields.minP(), fields.n(), fields.seed(), stop(fields.stop()), fields.stopTokenIds(),
                fields.presencePenalty(), fields.frequencyPenalty(), fields.repetitionPenalty(), fields.minTokens(),
                logprobs, Boolean.TRUE.equals(fields.ignoreEos()));
    }

    /** A string or an array of strings, as OpenAI accepts it; null and an empty array mean none. */
    private static List<String> stop(JsonNode stop) {
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        List<String> strings = new ArrayList<>();
        if (stop.isString()) {
            strings.add(stop.stringValue());
        } else if (stop.isArray()) {
            for (JsonNode element : stop) {
                if (!element.isString()) {
                    throw OpenAiException.invalid("stop", "stop must be a string or an array of strings; it holds "
                            + element.getNodeType().name().toLowerCase() + ".");
                }
                strings.add(element.stringValue());
            }
        } else {
            throw OpenAiException.invalid("stop", "stop must be a string or an array of strings, got "
                    + stop.getNodeType().name().toLowerCase() + ".");
        }
        return strings;
    }
}
