package dev.hanul.monitoring;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The share of an answer's sentences that its sources support: a sentence counts as supported when most (60% or
 * more) of its words longer than two characters, normalized as SQuAD normalizes them (lower case, no punctuation, no
 * articles), occur in the sources. A cheap, reference-free proxy: word overlap misses paraphrase, so it is for
 * comparing versions and runs and for spotting answers that wander off their sources, not a judge.
 */
public final class Groundedness {

    static final double SUPPORTED_SHARE = 0.6;
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?。])\\s+|\\n+");
    /** ASCII punctuation, which SQuAD's normalization deletes (so "don't" is one word, "dont"). */
    private static final Pattern PUNCTUATION = Pattern.compile("\\p{Punct}");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private Groundedness() {
    }

    /** @return the supported share in [0, 1]; null for an answer with no words to judge */
    public static Double share(String answer, List<String> sources) {
        Set<String> sourceWords = new HashSet<>();
        sources.forEach(source -> sourceWords.addAll(words(source)));
        int sentences = 0;
        int supported = 0;
        for (String sentence : SENTENCE_END.split(answer.strip())) {
            List<String> words = words(sentence);
            if (words.isEmpty()) {
                continue;
            }
            sentences++;
            long found = words.stream().filter(sourceWords::contains).count();
            if (found >= SUPPORTED_SHARE * words.size()) {
                supported++;
            }
        }
        return sentences == 0 ? null : (double) supported / sentences;
    }

    private static List<String> words(String text) {
        String kept = PUNCTUATION.matcher(text.toLowerCase(Locale.ROOT)).replaceAll("");
        return Arrays.stream(WHITESPACE.split(kept))
                .filter(w -> w.length() > 2 && !w.equals("the")).toList();
    }
}
