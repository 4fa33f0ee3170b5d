package dev.hanul.cli;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * SQuAD's answer scores (the official v1.1 evaluation script's normalization: lower case, no punctuation, no
 * articles, single spaces), each the best over the gold answers, plus "contains": the gold answer's words appear, in
 * order and together, in the model's answer. Citation markers like {@code [1]} are removed first: a cited answer is
 * not a worse answer.
 *
 * @param exactMatch 1 when the normalized answer equals a normalized gold answer
 * @param f1         the best word-overlap F1 with a gold answer
 * @param contains   1 when a gold answer's words appear contiguously in the answer
 */
record QaScore(double exactMatch, double f1, double contains) {

    private static final Pattern CITATION = Pattern.compile("\\[\\d+(?:\\s*,\\s*\\d+)*]");
    private static final Pattern ARTICLES = Pattern.compile("\\b(a|an|the)\\b");
    private static final Pattern PUNCTUATION = Pattern.compile("\\p{P}");

    static QaScore of(String answer, List<String> golds) {
        String[] predicted = words(CITATION.matcher(answer).replaceAll(" "));
        double em = 0;
        double f1 = 0;
        double contains = 0;
        for (String gold : golds) {
            String[] expected = words(gold);
            em = Math.max(em, Arrays.equals(predicted, expected) ? 1 : 0);
            f1 = Math.max(f1, f1(predicted, expected));
            contains = Math.max(contains, containsRun(predicted, expected) ? 1 : 0);
        }
        return new QaScore(em, f1, contains);
    }

    /** SQuAD's normalize_answer, split into words. */
    static String[] words(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        s = PUNCTUATION.matcher(s).replaceAll("");
        s = ARTICLES.matcher(s).replaceAll(" ");
        s = s.strip();
        return s.isEmpty() ? new String[0] : s.split("\\s+");
    }

    private static double f1(String[] predicted, String[] expected) {
        if (predicted.length == 0 || expected.length == 0) {
            return predicted.length == expected.length ? 1 : 0;
        }
        Map<String, Integer> counts = new HashMap<>();
        for (String word : expected) {
            counts.merge(word, 1, Integer::sum);
        }
        int common = 0;
        for (String word : predicted) {
            Integer left = counts.get(word);
            if (left != null && left > 0) {
                counts.put(word, left - 1);
                common++;
            }
        }
        if (common == 0) {
            return 0;
        }
        double precision = (double) common / predicted.length;
        double recall = (double) common / expected.length;
        return 2 * precision * recall / (precision + recall);
    }

    private static boolean containsRun(String[] haystack, String[] needle) {
        if (needle.length == 0) {
            return false;
        }
        outer:
        for (int start = 0; start + needle.length <= haystack.length; start++) {
            for (int i = 0; i < needle.length; i++) {
                if (!haystack[start + i].equals(needle[i])) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
