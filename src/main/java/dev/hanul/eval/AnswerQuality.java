package dev.hanul.eval;

import dev.hanul.embedding.Embedder;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reference-free judgments of an answer, so a run says something even where a dataset has no reference answers:
 * <ul>
 *   <li>groundedness: the share of the answer's sentences whose words are, for the most part (60% or more of the
 *       words longer than two characters, normalized as SQuAD normalizes), found in the sources it was given;</li>
 *   <li>answer relevance: the cosine of the question's and the answer's embeddings.</li>
 * </ul>
 * Both are cheap proxies, not judges: overlap misses paraphrase, and relevance rewards an answer that repeats the
 * question. They are meant for comparing runs, next to exact match and F1.
 */
final class AnswerQuality {

    static final double SUPPORTED_SHARE = 0.6;
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?。])\\s+|\\n+");

    private final Embedder embedder;

    AnswerQuality(Embedder embedder) {
        this.embedder = embedder;
    }

    /** Null for an answer with no words to judge. */
    static Double groundedness(String answer, List<String> sources) {
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

    double relevance(String question, String answer) {
        List<float[]> vectors = embedder.embed(List.of(question, answer));
        return cosine(vectors.get(0), vectors.get(1));
    }

    private static List<String> words(String text) {
        return Arrays.stream(AnswerMetrics.squad(text).split(" ")).filter(w -> w.length() > 2).toList();
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            normA += a[i] * a[i];
            normB += b[i] * b[i];
        }
        return normA == 0 || normB == 0 ? 0 : dot / Math.sqrt(normA * normB);
    }
}
