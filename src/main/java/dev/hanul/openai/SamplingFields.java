package dev.hanul.openai;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The sampling parameters chat and text completions share, OpenAI's and vLLM's extras alike; null where the request
 * leaves them out. {@link OpenAiSampling} translates them for the inference façade, which checks them.
 */
interface SamplingFields {

    Double temperature();

    Double topP();

    Integer n();

    /** A string or an array of up to four strings. */
    JsonNode stop();

    /** vLLM's token ids that end a sample besides the model's end-of-sequence tokens (left out of the text). */
    List<Integer> stopTokenIds();

    Long seed();

    Double presencePenalty();

    Double frequencyPenalty();

    Integer topK();

    Double minP();

    Double repetitionPenalty();

    Boolean ignoreEos();

    Integer minTokens();

    /** Only an empty object is accepted: the engine has no logit bias. */
    JsonNode logitBias();
}
