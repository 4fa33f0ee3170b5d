package dev.hanul.guard;

import dev.hanul.monitoring.PiiFinder;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reversible redaction for one request: each piece of personal data becomes a numbered placeholder such as
 * {@code [EMAIL_1]} (the same value, the same placeholder), and the values stay in this vault, which lives only as
 * long as the request. The model, the logs and the interaction record see placeholders; the answer sent back to the
 * user who wrote the values gets them restored ({@link #restore}), so quoting one's own address back works while
 * nobody else (and nothing stored) ever sees it. Not thread-safe: one request's stream at a time.
 */
public final class PiiVault {

    /** A placeholder as written: kind, underscore, number, in brackets. */
    static final Pattern PLACEHOLDER = Pattern.compile("\\[(EMAIL|PHONE|CARD|SSN|RRN|ADDRESS)_(\\d{1,4})]");
    /** The longest placeholder: what a stream must hold back after a '[' before it knows. */
    static final int LONGEST = "[ADDRESS_9999]".length();

    private final PiiFinder finder;
    private final Map<String, String> valueByPlaceholder = new LinkedHashMap<>();
    private final Map<String, String> placeholderByValue = new LinkedHashMap<>();
    private final Map<PiiFinder.Kind, Integer> counts = new EnumMap<>(PiiFinder.Kind.class);

    public PiiVault(PiiFinder finder) {
        this.finder = finder;
    }

    /** The text with every piece of personal data replaced by its placeholder. */
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        List<PiiFinder.Found> found = finder.find(text);
        if (found.isEmpty()) {
            return text;
        }
        var out = new StringBuilder(text.length());
        int at = 0;
        for (PiiFinder.Found f : found) {
            if (f.start() < at) {
                continue;
            }
            out.append(text, at, f.start());
            String value = text.substring(f.start(), f.end());
            out.append(placeholderByValue.computeIfAbsent(value, v -> {
                int n = counts.merge(f.kind(), 1, Integer::sum);
                String placeholder = "[" + f.kind().name() + "_" + n + "]";
                valueByPlaceholder.put(placeholder, v);
                return placeholder;
            }));
            at = f.end();
        }
        return out.append(text, at, text.length()).toString();
    }

    /** The text with this vault's placeholders put back; placeholders it did not make stay as they are. */
    public String restore(String text) {
        if (valueByPlaceholder.isEmpty() || text.indexOf('[') < 0) {
            return text;
        }
        Matcher m = PLACEHOLDER.matcher(text);
        return m.replaceAll(match -> Matcher.quoteReplacement(valueByPlaceholder.getOrDefault(match.group(),
                match.group())));
    }

    public boolean isEmpty() {
        return valueByPlaceholder.isEmpty();
    }

    /** How many distinct values of each kind were put away. */
    public Map<PiiFinder.Kind, Integer> counts() {
        return Map.copyOf(counts);
    }
}
