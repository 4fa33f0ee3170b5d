package dev.hanul.remote;

import dev.hanul.engine.FinishReason;
import dev.hanul.engine.GenerationEvent;
import dev.hanul.engine.Usage;
import dev.hanul.engine.tokenizer.Tokenizer;
import dev.hanul.inference.InferenceFailure;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One request's stream of OpenAI completion chunks turned into the engine's events. Each sample's finish is held back
 * until the stream ends, because the usage comes in a chunk of its own after the last finish reason and the
 * request's last finish event carries the totals. Not thread-safe: a stream's chunks arrive one at a time.
 */
final class CompletionStream {

    private final Tokenizer tokenizer;
    private final int promptTokens;
    private final int[] generated;
    private final String[] finishReasons;
    private final JsonNode[] stopReasons;
    private Usage usage;

    CompletionStream(Tokenizer tokenizer, int promptTokens, int samples) {
        this.tokenizer = tokenizer;
        this.promptTokens = promptTokens;
        this.generated = new int[samples];
        this.finishReasons = new String[samples];
        this.stopReasons = new JsonNode[samples];
    }

    /** The events of one server-sent event's data. */
    List<GenerationEvent> accept(String data, JsonMapper json) {
        if (data == null || data.isBlank() || data.equals("[DONE]")) {
            return List.of();
        }
        JsonNode chunk = json.readTree(data);
        if (chunk.has("error")) {
            JsonNode error = chunk.get("error");
            throw new InferenceFailure.GenerationFailed("the remote server reported an error in the stream: "
                    + (error.isObject() ? error.path("message").asString(error.toString()) : error.asString()));
        }
        if (chunk.hasNonNull("usage") && chunk.get("usage").isObject()) {
            JsonNode u = chunk.get("usage");
            usage = new Usage(u.path("prompt_tokens").asInt(promptTokens), u.path("completion_tokens").asInt(0),
                    u.path("prompt_tokens_details").path("cached_tokens").asInt(0));
        }
        var events = new ArrayList<GenerationEvent>();
        for (JsonNode choice : chunk.path("choices")) {
            int index = choice.path("index").asInt(0);
            if (index < 0 || index >= generated.length) {
                throw new InferenceFailure.GenerationFailed("the remote server sent sample " + index + " of a "
                        + "request for " + generated.length);
            }
            String text = choice.path("text").asString("");
            if (!text.isEmpty()) {
                // Servers send text; its ids here are this tokenizer's encoding of it, the first carrying the text.
                int[] ids = tokenizer.encode(text, false);
                for (int i = 0; i < Math.max(1, ids.length); i++) {
                    events.add(new GenerationEvent.Token(index, ids.length == 0 ? 0 : ids[i], i == 0 ? text : "",
                            null));
                }
                generated[index] += Math.max(1, ids.length);
            }
            if (choice.hasNonNull("finish_reason")) {
                finishReasons[index] = choice.get("finish_reason").asString();
                stopReasons[index] = choice.get("stop_reason");
            }
        }
        return events;
    }

    /** The finish events, once the stream has ended. */
    List<GenerationEvent> finish() {
        int total = 0;
        for (int count : generated) {
            total += count;
        }
        Usage totals = usage != null ? usage : new Usage(promptTokens, total, 0);
        var events = new ArrayList<GenerationEvent>(generated.length);
        for (int index = 0; index < generated.length; index++) {
            if (finishReasons[index] == null) {
                throw new InferenceFailure.GenerationFailed("the remote server ended the stream before sample "
                        + index + " had finished");
            }
            FinishReason reason = finishReasons[index].equals("length") ? FinishReason.LENGTH : FinishReason.STOP;
            Integer stopToken = null;
            String stopString = null;
            if (reason == FinishReason.STOP) {
                JsonNode stop = stopReasons[index];
                if (stop != null && stop.isString()) {
                    stopString = stop.asString();
                } else if (stop != null && stop.isIntegralNumber()) {
                    stopToken = stop.asInt();
                } else if (tokenizer.eos() >= 0) {
                    // vLLM names a stop string or token in stop_reason; none means the model's end of sequence.
                    stopToken = tokenizer.eos();
                }
            }
            events.add(new GenerationEvent.Finished(index, reason, "", totals, null, stopToken, stopString,
                    null));
        }
        return events;
    }
}
