package dev.hanul.guard;

import dev.hanul.embedding.Embedder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Prompt injection and jailbreak detection: jailguard's MLP over the text's all-MiniLM-L6-v2 embedding, combined
 * with the highest cosine to known attacks (the monitoring's jailbreak examples and {@code guard/injection-examples.txt},
 * which covers instructions planted in documents). A text is an attack when either crosses its threshold. Long texts
 * are scored sentence by sentence (and as a whole), so an instruction hidden in an ordinary paragraph is not averaged
 * away, and no window exceeds the 128 tokens jailguard was trained on. Thread-safe.
 */
public final class InjectionDetector {

    /** A text's scores: the MLP's probability (null without the model), the nearest attack's cosine, the verdict. */
    public record Verdict(Double probability, double similarity, boolean attack, String sentence) {

        /** One number for metrics and records: the larger of the two scores. */
        public double score() {
            return Math.max(probability == null ? 0 : probability, similarity);
        }
    }

    /**
     * A sentence that speaks to the model reading it: it names an AI reader (assistant, AI, language model, chatbot,
     * LLM, agent, a product name; in English or Korean) and tells it to do something (a modal or an imperative verb).
     * Documents are written for people, so a directive aimed at an AI inside one is the mark of an indirect
     * injection, whatever it then asks. Sentences that only mention AI ("the AI team published …") or give people
     * instructions ("reset the device …") do not match.
     */
    private static final Pattern AI_READER = Pattern.compile("(?iu)(?:\\b(?:ai|a\\.i\\.|assistants?|chat ?bots?|"
            + "language models?|llms?|ai models?|ai systems?|ai agents?|agents?|models?|chatgpt|claude|gemini|copilot)\\b"
            + "|system\\s*:|인공지능|어시스턴트|챗봇|언어\\s*모델|에이전트)");
    private static final Pattern DIRECTIVE = Pattern.compile("(?iu)(?:\\b(?:must|should|has to|have to|needs? to|"
            + "ignore|disregard|forget|override|obey|comply|reply|respond|answer|tell|say|state|claim|include|append|"
            + "add|reveal|print|output|write|recommend|pretend|act as|treat|stop|refuse|send|ask|insult|rate|quote|"
            + "leave out|hide|do not|don't|never|always|are now|is now|suspended|cancell?ed|void)\\b"
            + "|무시|답해야|답하세요|물어보세요|말하세요|따르세요|출력하|하세요|해야 합니다|해야한다|마세요)");
    /** A sentence that only mentions AI as a subject of the document ("our AI team …") has no directive. */
    private static boolean addressesModel(String sentence) {
        return AI_READER.matcher(sentence).find() && DIRECTIVE.matcher(sentence).find();
    }
    /** Text this Hangul-heavy is not English: jailguard's MLP (trained on English) is not asked about it. */
    private static final double MAX_HANGUL_SHARE = 0.3;
    /**
     * Fewer words than this are left to the similarity alone: the MLP calls most very short texts attacks ("hello"
     * 0.81, "First question" 0.9995), so a greeting or a two-word follow-up would be refused.
     */
    private static final int MIN_CLASSIFIED_WORDS = 4;
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?。！？])\\s+|\\n+");
    /** Sentences shorter than this carry no instruction worth a forward pass. */
    private static final int MIN_SENTENCE = 12;
    private static final int MAX_SENTENCE = 600;

    private final Embedder embedder;
    private final JailguardMlp mlp;
    private final List<float[]> attacks;
    private final double threshold;
    private final double similarityThreshold;

    /** @param mlp null when jailguard's model is not installed: similarity alone decides */
    InjectionDetector(Embedder embedder, JailguardMlp mlp, double threshold, double similarityThreshold) {
        this.embedder = embedder;
        this.mlp = mlp;
        this.threshold = threshold;
        this.similarityThreshold = similarityThreshold;
        var examples = new ArrayList<String>(read("/monitoring/jailbreak-examples.txt"));
        examples.addAll(read("/guard/injection-examples.txt"));
        this.attacks = embedder.embed(examples);
    }

    public boolean hasClassifier() {
        return mlp != null;
    }

    /** A user's own text: the verdict on it as a whole and on each of its sentences, the worst of them. */
    public Verdict check(String text) {
        return check(text, false, null);
    }

    /**
     * A document's text (a retrieved or ingested chunk): documents give people instructions all the time, which the
     * MLP mistakes for attacks, so here a sentence is an attack when it addresses the model or is close to a known
     * attack.
     */
    public Verdict checkDocument(String text) {
        return check(text, true, new HashMap<>());
    }

    /**
     * {@link #checkDocument(String)} for one of a document's chunks, with the verdicts of the pieces already scored
     * in the document's other chunks: overlapping chunks repeat sentences, and a piece's verdict depends on its text
     * alone, so each is scored once. Pieces scored here are added to it; it may be shared by threads when it is a
     * concurrent map.
     */
    public Verdict checkDocument(String text, Map<String, Verdict> scored) {
        return check(text, true, scored);
    }

    /** @param scored the verdicts of a document's pieces scored so far; null for a user's text */
    private Verdict check(String text, boolean document, Map<String, Verdict> scored) {
        if (text == null || text.isBlank()) {
            return new Verdict(mlp == null ? null : 0.0, 0, false, null);
        }
        Verdict worst = null;
        List<String> pieces = pieces(text);
        if (document && pieces.size() > 1 && pieces.getFirst().equals(text.strip())) {
            // A document's rule looks at one sentence: the reader named in one and a directive in another is prose.
            pieces = pieces.subList(1, pieces.size());
        }
        for (String piece : pieces) {
            Verdict verdict = document ? scoreDocument(piece, scored) : score(piece);
            if (worst == null || rank(verdict) > rank(worst)) {
                worst = verdict;
            }
        }
        return worst;
    }

    private double rank(Verdict v) {
        double p = v.probability() == null ? 0 : v.probability() / threshold;
        return Math.max(p, v.similarity() / similarityThreshold);
    }

    private Verdict score(String text) {
        float[] embedding = embedder.embed(text);
        Double probability = mlp == null || hangulShare(text) > MAX_HANGUL_SHARE
                || text.strip().split("\\s+").length < MIN_CLASSIFIED_WORDS ? null : mlp.probability(embedding);
        double similarity = similarity(embedding);
        boolean attack = probability != null && probability >= threshold || similarity >= similarityThreshold;
        return new Verdict(probability, similarity, attack, text);
    }

    /**
     * Not {@code computeIfAbsent}: a concurrent map would hold other threads' pieces in the same bin while the model
     * runs; scoring a piece twice in a race costs time, never a different verdict.
     */
    private Verdict scoreDocument(String piece, Map<String, Verdict> scored) {
        Verdict verdict = scored.get(piece);
        if (verdict == null) {
            verdict = scoreDocument(piece);
            scored.put(piece, verdict);
        }
        return verdict;
    }

    private Verdict scoreDocument(String text) {
        double similarity = similarity(embedder.embed(text));
        boolean addressed = addressesModel(text);
        return new Verdict(addressed ? 1.0 : 0.0, similarity, addressed || similarity >= similarityThreshold, text);
    }

    private double similarity(float[] embedding) {
        double similarity = -1;
        for (float[] attack : attacks) {
            double cos = 0;
            for (int i = 0; i < attack.length; i++) {
                cos += attack[i] * embedding[i];
            }
            similarity = Math.max(similarity, cos);
        }
        return similarity;
    }

    static double hangulShare(String text) {
        int letters = 0;
        int hangul = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isLetter(c)) {
                letters++;
                if (c >= '\uAC00' && c <= '\uD7A3' || c >= '\u1100' && c <= '\u11FF' || c >= '\u3130' && c <= '\u318F') {
                    hangul++;
                }
            }
        }
        return letters == 0 ? 0 : (double) hangul / letters;
    }

    /** The whole text when it is short, else its sentences (a long one cut into pieces). */
    static List<String> pieces(String text) {
        String stripped = text.strip();
        var pieces = new ArrayList<String>();
        if (stripped.length() <= MAX_SENTENCE) {
            pieces.add(stripped);
        }
        String[] sentences = SENTENCE_END.split(stripped);
        if (sentences.length > 1 || stripped.length() > MAX_SENTENCE) {
            for (String sentence : sentences) {
                String s = sentence.strip();
                for (int from = 0; from < s.length(); from += MAX_SENTENCE) {
                    String piece = s.substring(from, Math.min(s.length(), from + MAX_SENTENCE));
                    if (piece.length() >= MIN_SENTENCE) {
                        pieces.add(piece);
                    }
                }
            }
        }
        if (pieces.isEmpty()) {
            pieces.add(stripped);
        }
        return pieces;
    }

    private static List<String> read(String resource) {
        try (InputStream in = InjectionDetector.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
