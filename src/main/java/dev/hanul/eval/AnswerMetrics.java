package dev.hanul.eval;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Exact match and token F1 of an answer against reference answers (the best over them), as SQuAD v1.1's official
 * script computes them: lower case, ASCII punctuation removed, the articles a/an/the removed, white space collapsed;
 * F1 over the bag of whitespace tokens. Where a reference is Korean, KorQuAD 1.0's official rules apply instead,
 * because Korean words carry particles ("서울은", "서울에서") that make whole-word matching too strict: its quote marks
 * removed besides the punctuation, all white space removed, and F1 over the bag of characters.
 */
final class AnswerMetrics {

    private static final Pattern ARTICLES = Pattern.compile("\\b(a|an|the)\\b");
    private static final Pattern WHITESPACE = Pattern.compile("(?U)\\s+");
    private static final Pattern HANGUL = Pattern.compile("[\\uAC00-\\uD7A3]");
    /** Python's string.punctuation. */
    private static final String ASCII_PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    /** KorQuAD's extra marks, replaced by a space before the punctuation is removed. */
    private static final String KORQUAD_MARKS = "'\"《》<>〈〉()‘’“”";

    private AnswerMetrics() {
    }

    record Scores(double exactMatch, double f1) {
    }

    static Scores of(String prediction, List<String> references) {
        double em = 0;
        double f1 = 0;
        for (String reference : references) {
            boolean korean = HANGUL.matcher(reference).find();
            em = Math.max(em, korean ? exact(korquad(prediction), korquad(reference))
                    : exact(squad(prediction), squad(reference)));
            f1 = Math.max(f1, korean ? f1(characters(korquad(prediction)), characters(korquad(reference)))
                    : f1(tokens(squad(prediction)), tokens(squad(reference))));
        }
        return new Scores(em, f1);
    }

    /** SQuAD v1.1's normalize_answer. */
    static String squad(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        var kept = new StringBuilder(lower.length());
        lower.codePoints().filter(c -> ASCII_PUNCTUATION.indexOf(c) < 0).forEach(kept::appendCodePoint);
        return String.join(" ", WHITESPACE.split(ARTICLES.matcher(kept).replaceAll(" ").strip()));
    }

    /** KorQuAD 1.0's normalize_answer: no white space at all in the result. */
    static String korquad(String text) {
        var spaced = new StringBuilder(text.length());
        Normalizer.normalize(text, Normalizer.Form.NFC).codePoints()
                .forEach(c -> spaced.appendCodePoint(KORQUAD_MARKS.indexOf(c) >= 0 ? ' ' : c));
        String lower = spaced.toString().toLowerCase(Locale.ROOT);
        var kept = new StringBuilder(lower.length());
        lower.codePoints().filter(c -> ASCII_PUNCTUATION.indexOf(c) < 0 && !Character.isWhitespace(c))
                .forEach(kept::appendCodePoint);
        return kept.toString();
    }

    private static double exact(String a, String b) {
        return a.equals(b) ? 1 : 0;
    }

    private static List<String> tokens(String normalized) {
        return normalized.isEmpty() ? List.of() : List.of(normalized.split(" "));
    }

    private static List<String> characters(String normalized) {
        List<String> characters = new ArrayList<>();
        normalized.codePoints().forEach(c -> characters.add(Character.toString(c)));
        return characters;
    }

    /** SQuAD's f1_score: the overlap of two bags. */
    private static double f1(List<String> prediction, List<String> reference) {
        Map<String, Integer> counts = new HashMap<>();
        reference.forEach(t -> counts.merge(t, 1, Integer::sum));
        int common = 0;
        for (String t : prediction) {
            Integer left = counts.get(t);
            if (left != null && left > 0) {
                counts.put(t, left - 1);
                common++;
            }
        }
        if (common == 0) {
            return 0;
        }
        double precision = (double) common / prediction.size();
        double recall = (double) common / reference.size();
        return 2 * precision * recall / (precision + recall);
    }
}
