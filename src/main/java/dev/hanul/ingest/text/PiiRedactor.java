package dev.hanul.ingest.text;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces personal data with placeholders ({@code [EMAIL]}, {@code [PHONE]}, {@code [CARD]}, {@code [RRN]}) before
 * text is chunked, embedded and indexed, so it never reaches the index or a model's context. Regex-based: it finds
 * the usual written forms, and numbers are checked (card numbers by Luhn, resident numbers by their date) to keep
 * order numbers and dates out. The kinds are applied in a fixed order, most specific first, so a resident number is
 * never half-matched as a phone number.
 */
public final class PiiRedactor {

    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
    private static final Pattern RRN = Pattern.compile(
            "(?<![\\d-])\\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\\d|3[01]) ?- ?[1-8]\\d{6}(?![\\d-])");
    /** 13 to 19 digits, optionally in groups separated by single spaces or hyphens. */
    private static final Pattern CARD = Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d-])");
    private static final Pattern PHONE = Pattern.compile(String.join("|",
            // Korean: 010-1234-5678, 02-123-4567, 031 123 4567, +82 10-1234-5678, 1588-1234.
            "(?<![\\d+])(?:\\+82[ -]?|0)(?:1[016789]|2|[3-6][1-5]|70)[ .)-]?\\d{3,4}[ .-]?\\d{4}(?!\\d)",
            "(?<!\\d)1[5-9]\\d{2}-\\d{4}(?!\\d)",
            // International with a country code: +1 (415) 555-0100, +44 20 7946 0958.
            "(?<![\\w+])\\+\\d{1,3}[ .-]?(?:\\(\\d{1,4}\\)[ .-]?)?\\d{2,4}[ .-]?\\d{3,4}(?:[ .-]?\\d{2,4})?(?!\\d)",
            // North American: (415) 555-0100, 415-555-0100, 415.555.0100.
            "(?<!\\d)(?:\\(\\d{3}\\) ?|\\d{3}[.-])\\d{3}[.-]\\d{4}(?!\\d)"));

    /** What was redacted, by kind. */
    public record Redaction(String text, Map<PiiType, Integer> counts) {

        public int total() {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private final Set<PiiType> types;

    public PiiRedactor(Set<PiiType> types) {
        this.types = Set.copyOf(types);
    }

    public Redaction redact(String text) {
        Map<PiiType, Integer> counts = new EnumMap<>(PiiType.class);
        String redacted = text;
        for (PiiType type : PiiType.values()) {
            if (types.contains(type)) {
                redacted = replace(redacted, type, counts);
            }
        }
        return new Redaction(redacted, counts);
    }

    private static String replace(String text, PiiType type, Map<PiiType, Integer> counts) {
        Matcher matcher = pattern(type).matcher(text);
        var out = new StringBuilder(text.length());
        int found = 0;
        while (matcher.find()) {
            if (type != PiiType.CARD || passesLuhn(matcher.group())) {
                matcher.appendReplacement(out, Matcher.quoteReplacement(type.placeholder()));
                found++;
            }
        }
        matcher.appendTail(out);
        if (found > 0) {
            counts.merge(type, found, Integer::sum);
        }
        return out.toString();
    }

    private static Pattern pattern(PiiType type) {
        return switch (type) {
            case EMAIL -> EMAIL;
            case RRN -> RRN;
            case CARD -> CARD;
            case PHONE -> PHONE;
        };
    }

    /** The Luhn checksum of card numbers: every second digit from the right doubled, the digit sum divisible by 10. */
    static boolean passesLuhn(String number) {
        int sum = 0;
        boolean doubled = false;
        for (int i = number.length() - 1; i >= 0; i--) {
            char c = number.charAt(i);
            if (c < '0' || c > '9') {
                continue;
            }
            int digit = c - '0';
            if (doubled) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }
}
