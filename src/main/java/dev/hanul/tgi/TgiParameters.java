package dev.hanul.tgi;

import dev.hanul.inference.Parameter;
import java.util.Locale;

/** TGI's names for the parameters the inference façade names, quoted as TGI's router quotes them. */
final class TgiParameters {

    private TgiParameters() {
    }

    static String of(Parameter parameter) {
        String name = switch (parameter) {
            case PROMPT, MESSAGES -> "inputs";
            case MAX_TOKENS -> "max_new_tokens";
            case LOGPROBS -> "top_n_tokens";
            case N -> "best_of";
            case OUTPUT_CONSTRAINT -> "grammar";
            default -> parameter.name().toLowerCase(Locale.ROOT);
        };
        return "`" + name + "`";
    }
}
