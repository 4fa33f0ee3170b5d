package dev.hanul.tgi;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The body of TGI's {@code POST /generate} and {@code POST /generate_stream}, field for field as Hugging Face
 * text-generation-inference defines it (router/src/lib.rs, GenerateRequest and GenerateParameters). Parameters Hanul
 * cannot honour are still read, so that a client sending them gets a 422 that names them instead of silently different
 * output.
 *
 * @param inputs     the text to continue; the model's BOS is added as TGI's tokenizer does
 * @param parameters how to generate; when the object is left out entirely TGI samples (do_sample true), when it is
 *                   present do_sample defaults to false
 */
public record GenerateRequest(String inputs, Parameters parameters) {

    /**
     * @param bestOf              sequences to sample and choose from; only 1 is supported
     * @param temperature         strictly positive; a value other than 1 turns sampling on, as in TGI
     * @param repetitionPenalty   strictly positive, 1 is off (CTRL's penalty)
     * @param frequencyPenalty    in [-2, 2]
     * @param topK                strictly positive; turns sampling on
     * @param topP                in (0, 1); turns sampling on
     * @param typicalP            typical decoding; not supported
     * @param doSample            sample instead of decoding greedily
     * @param maxNewTokens        default 100
     * @param returnFullText      prepend the inputs to generated_text
     * @param stop                up to 4 strings that end generation (left out of the text)
     * @param truncate            keep only the last this many input tokens
     * @param watermark           not supported
     * @param details             add finish reason, tokens and their log probabilities to the response
     * @param decoderInputDetails prompt tokens' log probabilities; not supported
     * @param seed                seed of the sampler; drawn at random (and reported in details) when absent
     * @param topNTokens          also report this many most likely alternatives per token (0 to 20)
     * @param grammar             constrained decoding: {@code {"type": "json", "value": schema}} or
     *                            {@code {"type": "regex", "value": pattern}}
     * @param adapterId           LoRA adapter; not supported
     */
    public record Parameters(
            @JsonProperty("best_of") Integer bestOf,
            Float temperature,
            @JsonProperty("repetition_penalty") Float repetitionPenalty,
            @JsonProperty("frequency_penalty") Float frequencyPenalty,
            @JsonProperty("top_k") Integer topK,
            @JsonProperty("top_p") Float topP,
            @JsonProperty("typical_p") Float typicalP,
            @JsonProperty("do_sample") Boolean doSample,
            @JsonProperty("max_new_tokens") Integer maxNewTokens,
            @JsonProperty("return_full_text") Boolean returnFullText,
            List<String> stop,
            Integer truncate,
            Boolean watermark,
            Boolean details,
            @JsonProperty("decoder_input_details") Boolean decoderInputDetails,
            Long seed,
            @JsonProperty("top_n_tokens") Integer topNTokens,
            JsonNode grammar,
            @JsonProperty("adapter_id") String adapterId) {

        /** What TGI uses when the request has no parameters object: sampling, everything else at its default. */
        static final Parameters ABSENT = new Parameters(null, null, null, null, null, null, null, true, null, null,
                null, null, null, null, null, null, null, null, null);
    }
}
