package dev.hanul.inference;

import dev.hanul.engine.sampling.TokenConstraint;
import dev.hanul.engine.sampling.json.AutomatonGrammar;
import dev.hanul.engine.sampling.json.JsonObjectGrammar;
import dev.hanul.engine.tokenizer.Tokenizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.springframework.stereotype.Component;

/**
 * Turns an {@link OutputConstraint} into the engine's constrained decoding for one model's vocabulary, and keeps the
 * most recent ones: compiling a schema costs milliseconds to seconds, and clients send the same schema (or the same
 * tools) request after request, while each grammar also remembers the allowed tokens of the states it has seen.
 * Kept by tokenizer, weakly, so an unloaded model's grammars go with it.
 */
@Component
class Grammars {

    /** Grammars kept per model: each holds a DFA and up to 32 MiB of remembered token sets. */
    private static final int KEPT = 16;

    private final Map<Tokenizer, Map<OutputConstraint, TokenConstraint.Factory>> byTokenizer = new WeakHashMap<>();

    /**
     * @throws InferenceFailure.Rejected naming the constraint's parameter when it cannot be compiled (not valid, or
     *                                   using what the engine cannot enforce)
     */
    TokenConstraint.Factory of(Tokenizer tokenizer, OutputConstraint constraint) {
        synchronized (byTokenizer) {
            TokenConstraint.Factory kept = kept(tokenizer).get(constraint);
            if (kept != null) {
                return kept;
            }
        }
        TokenConstraint.Factory grammar = compile(tokenizer, constraint);
        synchronized (byTokenizer) {
            kept(tokenizer).put(constraint, grammar);
        }
        return grammar;
    }

    private Map<OutputConstraint, TokenConstraint.Factory> kept(Tokenizer tokenizer) {
        return byTokenizer.computeIfAbsent(tokenizer, t -> new LinkedHashMap<>(KEPT, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<OutputConstraint, TokenConstraint.Factory> eldest) {
                return size() > KEPT;
            }
        });
    }

    private static TokenConstraint.Factory compile(Tokenizer tokenizer, OutputConstraint constraint) {
        try {
            return switch (constraint) {
                case OutputConstraint.JsonObject() -> new JsonObjectGrammar(tokenizer);
                case OutputConstraint.JsonSchema(String schema) -> AutomatonGrammar.jsonSchema(tokenizer, schema);
                case OutputConstraint.Regex(String pattern) -> AutomatonGrammar.regex(tokenizer, pattern);
                case OutputConstraint.Choice(List<String> choices) -> AutomatonGrammar.choice(tokenizer, choices);
                case OutputConstraint.ToolCalls calls -> toolCalls(tokenizer, calls);
            };
        } catch (IllegalArgumentException e) {
            throw new InferenceFailure.Rejected(Parameter.OUTPUT_CONSTRAINT, names -> "%s cannot be enforced: %s."
                    .formatted(names.of(Parameter.OUTPUT_CONSTRAINT), withoutPeriod(e.getMessage())));
        }
    }

    private static TokenConstraint.Factory toolCalls(Tokenizer tokenizer, OutputConstraint.ToolCalls calls) {
        try {
            return AutomatonGrammar.toolCalls(tokenizer, calls.format(), calls.functions().stream()
                    .map(f -> new AutomatonGrammar.Function(f.name(), f.parametersSchema())).toList(),
                    calls.parallel());
        } catch (IllegalArgumentException e) {
            // Find the function whose schema is at fault, so the error names it.
            for (ChatTools.Function function : calls.functions()) {
                if (function.parameters() == null) {
                    continue;
                }
                try {
                    AutomatonGrammar.jsonSchema(tokenizer, function.parametersSchema());
                } catch (IllegalArgumentException culprit) {
                    throw new InferenceFailure.Rejected(Parameter.TOOLS, names -> ("the parameters of the function "
                            + "'%s' in %s cannot be enforced for a required call: %s.").formatted(function.name(),
                            names.of(Parameter.TOOLS), withoutPeriod(culprit.getMessage())));
                }
            }
            throw new InferenceFailure.Rejected(Parameter.TOOLS, names -> "%s cannot be enforced for a required call: "
                    .formatted(names.of(Parameter.TOOLS)) + withoutPeriod(e.getMessage()) + ".");
        }
    }

    private static String withoutPeriod(String message) {
        return message != null && message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
    }
}
