package dev.hanul.guard;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The user's own words in a raw prompt (TGI's {@code inputs}, a completion prompt), which often comes already
 * rendered in a chat template: the last user turn of ChatML, Llama 3, Llama 2 / Mistral or Gemma markup, else the
 * text without special-token markers. The template's markers and a system prompt are the caller's scaffolding, not
 * something to judge: the injection classifier reads markers and role definitions as attacks.
 */
final class UserTurn {

    private static final List<Pattern> TURNS = List.of(
            Pattern.compile("<\\|im_start\\|>user\\s*\\n(.*?)(?:<\\|im_end\\|>|$)", Pattern.DOTALL),
            Pattern.compile("<\\|start_header_id\\|>user<\\|end_header_id\\|>\\s*(.*?)(?:<\\|eot_id\\|>|$)",
                    Pattern.DOTALL),
            Pattern.compile("\\[INST](?:\\s*<<SYS>>.*?<</SYS>>)?(.*?)(?:\\[/INST]|$)", Pattern.DOTALL),
            Pattern.compile("<start_of_turn>user\\s*\\n(.*?)(?:<end_of_turn>|$)", Pattern.DOTALL));
    private static final Pattern MARKER = Pattern.compile("<\\|[^|<>\\s]{1,40}\\|>|</?s>|<(?:start|end)_of_turn>");

    private UserTurn() {
    }

    static String of(String prompt) {
        if (prompt == null) {
            return null;
        }
        for (Pattern turn : TURNS) {
            Matcher m = turn.matcher(prompt);
            String last = null;
            while (m.find()) {
                last = m.group(1);
            }
            if (last != null) {
                return MARKER.matcher(last).replaceAll(" ").strip();
            }
        }
        return MARKER.matcher(prompt).replaceAll(" ").strip();
    }
}
