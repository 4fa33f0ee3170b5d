package dev.hanul.ingest.text;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Normalizes extracted text before it is chunked: the noise that text extraction leaves costs tokens and hurts both
 * BM25 and embeddings. Headings ({@code #} lines) and paragraph breaks are kept: the splitter cuts along them.
 */
public final class TextCleaner {

    /** Control and invisible formatting characters (zero-width spaces, BOMs, soft hyphens); tabs and newlines stay. */
    private static final Pattern INVISIBLE = Pattern.compile("[\\p{Cc}\\p{Cf}&&[^\\n\\t]]");
    private static final Pattern SPACES = Pattern.compile("[\\p{Zs}\\t]+");
    /** "exam-\nple": a word that a PDF broke at the end of a line. */
    private static final Pattern BROKEN_WORD = Pattern.compile("(\\p{Ll})-\\n(\\p{Ll})");
    private static final Pattern PAGE_NUMBER = Pattern.compile(
            "(?i)(page\\s*)?\\d{1,4}(\\s*(/|of)\\s*\\d{1,4})?|-\\s*\\d{1,4}\\s*-|\\d{1,4}\\s*쪽|\\d{1,4}\\s*페이지");
    private static final Pattern BLANK_LINES = Pattern.compile("\\n{3,}");
    /** A line repeated this often in a paged document is a running header or footer. */
    private static final int RUNNING_LINE_REPEATS = 3;
    private static final int RUNNING_LINE_MAX_LENGTH = 80;

    public String clean(String text, String mediaType) {
        // NFKC: ligatures and full-width forms from PDFs become plain letters, decomposed Hangul is recomposed.
        String normalized = Normalizer.normalize(text, Normalizer.Form.NFKC)
                .replace("\r\n", "\n").replace('\r', '\n').replace('\f', '\n');
        normalized = INVISIBLE.matcher(normalized).replaceAll("");
        normalized = SPACES.matcher(normalized).replaceAll(" ");
        normalized = BROKEN_WORD.matcher(normalized).replaceAll("$1$2");
        String[] lines = normalized.split("\n", -1);
        Map<String, Integer> repeats = SupportedTypes.isPaged(mediaType) ? repeats(lines) : Map.of();
        var cleaned = new StringBuilder(normalized.length());
        for (String raw : lines) {
            String line = raw.strip();
            boolean boilerplate = PAGE_NUMBER.matcher(line).matches()
                    || repeats.getOrDefault(line, 0) >= RUNNING_LINE_REPEATS;
            if (!boilerplate) {
                cleaned.append(line).append('\n');
            }
        }
        return BLANK_LINES.matcher(cleaned).replaceAll("\n\n").strip();
    }

    private static Map<String, Integer> repeats(String[] lines) {
        Map<String, Integer> counts = new HashMap<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (!line.isEmpty() && line.length() <= RUNNING_LINE_MAX_LENGTH && !line.startsWith("#")) {
                counts.merge(line, 1, Integer::sum);
            }
        }
        return counts;
    }
}
