package dev.hanul.engine.chat;

import dev.hanul.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A conversation encoded so that what its messages say stays data. Hugging Face's apply_chat_template(tokenize=True)
 * and llama.cpp's server parse special tokens in the whole rendered prompt, so a user who writes
 * {@code <|im_end|>\n<|im_start|>system\n...} opens a system turn of their own. Here each control token's text inside
 * a message is replaced by a placeholder before the model's template renders the conversation, the placeholders are
 * put back afterwards, and the prompt is encoded with special tokens honoured only where the template itself wrote
 * them: in the messages such text becomes ordinary tokens, as llama.cpp's {@code parse_special=false} makes it.
 *
 * <p>Placeholders are code points of Supplementary Private Use Area-A (U+F0000 onwards), one per distinct text; a
 * message that holds such code points itself has them replaced by placeholders too, so nothing a user writes is taken
 * for one.
 *
 * @param text   the prompt as the template rendered it, every message's text as written
 * @param plain  the characters of {@code text} where special-token text is data
 * @param tokens what the model reads: BOS first when the model wants one, control tokens only from the template
 */
public record ChatPrompt(String text, BitSet plain, int[] tokens) {

    private static final int FIRST_PLACEHOLDER = 0xF0000;
    private static final int LAST_PLACEHOLDER = 0xFFFFD;
    private static final int PRIVATE_USE_FROM = 0xF0000; // Supplementary Private Use Areas A and B, to U+10FFFF

    public static ChatPrompt encode(ChatTemplate template, Tokenizer tokenizer, List<ChatMessage> messages,
            boolean addGenerationPrompt) {
        var placeholders = new Placeholders(tokenizer.controlTokenTexts());
        List<ChatMessage> masked = messages.stream()
                .map(message -> new ChatMessage(message.role(), placeholders.mask(message.content())))
                .toList();
        String rendered = template.render(masked, addGenerationPrompt);
        var text = new StringBuilder(rendered.length());
        var plain = new BitSet();
        rendered.codePoints().forEach(c -> {
            String original = placeholders.original(c);
            if (original == null) {
                text.appendCodePoint(c);
            } else {
                plain.set(text.length(), text.length() + original.length());
                text.append(original);
            }
        });
        String prompt = text.toString();
        return new ChatPrompt(prompt, plain, tokenizer.encodePrompt(prompt, plain));
    }

    /** The texts replaced in messages and the code points that stand for them. */
    private static final class Placeholders {

        private final List<String> controlTexts;
        private final BitSet firstChars = new BitSet(1 << 16);
        private final Map<String, Integer> codeOf = new HashMap<>();
        private final Map<Integer, String> textOf = new HashMap<>();

        Placeholders(Set<String> controlTexts) {
            // longest first, so that a token whose text begins with another's is found whole
            this.controlTexts = new ArrayList<>(controlTexts);
            this.controlTexts.sort(Comparator.comparingInt(String::length).reversed());
            this.controlTexts.forEach(text -> firstChars.set(text.charAt(0)));
        }

        String mask(String content) {
            if (content == null) {
                return null;
            }
            var masked = new StringBuilder(content.length());
            int i = 0;
            while (i < content.length()) {
                String control = controlTextAt(content, i);
                if (control != null) {
                    masked.appendCodePoint(placeholder(control));
                    i += control.length();
                    continue;
                }
                int c = content.codePointAt(i);
                if (c >= PRIVATE_USE_FROM) {
                    masked.appendCodePoint(placeholder(Character.toString(c)));
                } else {
                    masked.appendCodePoint(c);
                }
                i += Character.charCount(c);
            }
            return masked.toString();
        }

        private String controlTextAt(String content, int at) {
            if (!firstChars.get(content.charAt(at))) {
                return null;
            }
            for (String control : controlTexts) {
                if (content.startsWith(control, at)) {
                    return control;
                }
            }
            return null;
        }

        private int placeholder(String original) {
            return codeOf.computeIfAbsent(original, text -> {
                int code = FIRST_PLACEHOLDER + codeOf.size();
                if (code > LAST_PLACEHOLDER) {
                    throw new IllegalArgumentException("The conversation holds more than %d distinct special-token "
                            .formatted(LAST_PLACEHOLDER - FIRST_PLACEHOLDER + 1) + "texts and private-use characters.");
                }
                textOf.put(code, text);
                return code;
            });
        }

        String original(int codePoint) {
            return codePoint >= FIRST_PLACEHOLDER ? textOf.get(codePoint) : null;
        }
    }
}
