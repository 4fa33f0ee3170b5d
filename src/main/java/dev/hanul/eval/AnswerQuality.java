package dev.hanul.eval;

import dev.hanul.embedding.Embedder;
import java.util.List;

/**
 * Reference-free judgments of an answer, so a run says something even where a dataset has no reference answers:
 * <ul>
 *   <li>groundedness: {@link dev.hanul.monitoring.Groundedness#share}, the share of the answer's sentences that its sources
 *       support;</li>
 *   <li>answer relevance: the cosine of the question's and the answer's embeddings.</li>
 * </ul>
 * Both are cheap proxies, not judges: overlap misses paraphrase, and relevance rewards an answer that repeats the
 * question. They are meant for comparing runs, next to exact match and F1.
 */
final class AnswerQuality {

    private final Embedder embedder;

    AnswerQuality(Embedder embedder) {
        this.embedder = embedder;
    }

    double relevance(String question, String answer) {
        List<float[]> vectors = embedder.embed(List.of(question, answer));
        return cosine(vectors.get(0), vectors.get(1));
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
