package dev.hanul.openai;

import dev.hanul.engine.chat.ChatMessage;
import dev.hanul.engine.sampling.SamplingParams;
import dev.hanul.engine.sampling.json.JsonObjectGrammar;
import dev.hanul.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.springframework.stereotype.Component;

/**
 * {@code response_format: {"type": "json_object"}}, as vLLM serves it: the output is constrained to one JSON object
 * by the engine (every token that would break it is masked, and the sample ends when the object closes), and the
 * conversation also gets a system instruction to answer with one JSON object (added to the first system message, or
 * as one), because a model that knows it should write JSON writes better JSON than one only forced to. The grammar of
 * a model's vocabulary is built on its first JSON request and kept while the model is loaded.
 */
@Component
class JsonObjectMode {

    static final String INSTRUCTION = "Respond only with a single valid JSON object, without any text before or "
            + "after it.";

    /** By tokenizer, weakly: an unloaded model's grammar goes with it. */
    private final Map<Tokenizer, JsonObjectGrammar> grammars = new WeakHashMap<>();

    /** Whether the request asks for a JSON object; a 400 naming response_format.type for formats not served. */
    static boolean requested(ResponseFormat format) {
        String type = format == null || format.type() == null ? "text" : format.type();
        return switch (type) {
            case "text" -> false;
            case "json_object" -> true;
            default -> throw OpenAiException.invalid("response_format.type", ("response_format.type '%s' is not "
                    + "supported; use text or json_object.").formatted(type));
        };
    }

    /** The conversation with the instruction, when the request asks for a JSON object. */
    static List<ChatMessage> conversation(ResponseFormat format, List<ChatMessage> conversation) {
        if (!requested(format)) {
            return conversation;
        }
        var messages = new ArrayList<>(conversation);
        if (!messages.isEmpty() && messages.getFirst().role().equals("system")) {
            messages.set(0, ChatMessage.system(messages.getFirst().content() + "\n\n" + INSTRUCTION));
        } else {
            messages.addFirst(ChatMessage.system(INSTRUCTION));
        }
        return messages;
    }

    /** The parameters with the JSON-object constraint, when the request asks for a JSON object. */
    SamplingParams constrain(ResponseFormat format, SamplingParams params, Tokenizer tokenizer) {
        return requested(format) ? params.toBuilder().constraint(grammar(tokenizer)).build() : params;
    }

    private synchronized JsonObjectGrammar grammar(Tokenizer tokenizer) {
        return grammars.computeIfAbsent(tokenizer, JsonObjectGrammar::new);
    }
}
