package dev.hanul.monitoring;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * VADER's sentiment (Hutto and Gilbert, 2014), the compound score LangKit reports: a valence lexicon with rules for
 * boosters, negation, capitals, "but" and punctuation, normalized to [-1, 1]. A port of the PyPI package
 * vaderSentiment 3.3.2 rule for rule, quirks included (its "but" rule finds each score by value), so that scores
 * equal the package's; the lexicons are its own (resources/monitoring/vader, MIT). English only: text in other
 * languages finds no lexicon words and scores 0.
 */
final class VaderSentiment {

    private static final double B_INCR = 0.293;
    private static final double B_DECR = -0.293;
    private static final double C_INCR = 0.733;
    private static final double N_SCALAR = -0.74;

    private static final Set<String> NEGATE = Set.of("aint", "arent", "cannot", "cant", "couldnt", "darent",
            "didnt", "doesnt", "ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't", "dont",
            "hadnt", "hasnt", "havent", "isnt", "mightnt", "mustnt", "neither", "don't", "hadn't", "hasn't",
            "haven't", "isn't", "mightn't", "mustn't", "neednt", "needn't", "never", "none", "nope", "nor", "not",
            "nothing", "nowhere", "oughtnt", "shant", "shouldnt", "uhuh", "wasnt", "werent", "oughtn't", "shan't",
            "shouldn't", "uh-uh", "wasn't", "weren't", "without", "wont", "wouldnt", "won't", "wouldn't", "rarely",
            "seldom", "despite");

    private static final Map<String, Double> BOOSTERS = boosters();

    private static final Map<String, Double> SPECIAL_CASES = Map.of("the shit", 3.0, "the bomb", 3.0, "bad ass", 1.5,
            "badass", 1.5, "bus stop", 0.0, "yeah right", -2.0, "kiss of death", -1.5, "to die for", 3.0,
            "beating heart", 3.5);

    private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private final Map<String, Double> lexicon;
    /** Single code points only: the package looks emojis up one character at a time. */
    private final Map<Integer, String> emojis;

    private VaderSentiment(Map<String, Double> lexicon, Map<Integer, String> emojis) {
        this.lexicon = lexicon;
        this.emojis = emojis;
    }

    /** The lexicons shipped as resources. */
    static VaderSentiment load() {
        Map<String, Double> lexicon = new HashMap<>();
        for (String[] row : rows("vader_lexicon.tsv")) {
            lexicon.put(row[0], Double.parseDouble(row[1]));
        }
        Map<Integer, String> emojis = new HashMap<>();
        for (String[] row : rows("emoji_lexicon.tsv")) {
            if (row[0].codePointCount(0, row[0].length()) == 1) {
                emojis.put(row[0].codePointAt(0), row[1]);
            }
        }
        return new VaderSentiment(lexicon, emojis);
    }

    /** The compound score: -1 most negative, 0 neutral (or no lexicon word), 1 most positive. */
    double compound(String text) {
        String plain = describeEmojis(text).strip();
        List<String> words = words(plain);
        boolean capDifferential = capDifferential(words);
        List<Double> sentiments = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String lower = lower(words.get(i));
            if (BOOSTERS.containsKey(lower)
                    || (i < words.size() - 1 && lower.equals("kind") && lower(words.get(i + 1)).equals("of"))) {
                sentiments.add(0.0);
                continue;
            }
            sentiments.add(valence(words, i, capDifferential));
        }
        butCheck(words, sentiments);
        if (sentiments.isEmpty()) {
            return 0;
        }
        double sum = 0;
        for (double sentiment : sentiments) {
            sum += sentiment;
        }
        double emphasis = punctuationEmphasis(plain);
        if (sum > 0) {
            sum += emphasis;
        } else if (sum < 0) {
            sum -= emphasis;
        }
        double normalized = sum / Math.sqrt(sum * sum + 15);
        return Math.max(-1, Math.min(1, normalized));
    }

    private double valence(List<String> words, int i, boolean capDifferential) {
        String item = words.get(i);
        String lower = lower(item);
        Double known = lexicon.get(lower);
        if (known == null) {
            return 0;
        }
        double valence = known;
        if (lower.equals("no") && i != words.size() - 1 && lexicon.containsKey(lower(words.get(i + 1)))) {
            valence = 0;
        }
        if ((i > 0 && lower(words.get(i - 1)).equals("no")) || (i > 1 && lower(words.get(i - 2)).equals("no"))
                || (i > 2 && lower(words.get(i - 3)).equals("no")
                && (lower(words.get(i - 1)).equals("or") || lower(words.get(i - 1)).equals("nor")))) {
            valence = known * N_SCALAR;
        }
        if (isUpper(item) && capDifferential) {
            valence += valence > 0 ? C_INCR : -C_INCR;
        }
        for (int start = 0; start < 3; start++) {
            if (i > start && !lexicon.containsKey(lower(words.get(i - (start + 1))))) {
                double scalar = scalar(words.get(i - (start + 1)), valence, capDifferential);
                if (start == 1 && scalar != 0) {
                    scalar *= 0.95;
                }
                if (start == 2 && scalar != 0) {
                    scalar *= 0.9;
                }
                valence = negationCheck(valence + scalar, words, start, i);
                if (start == 2) {
                    valence = specialIdioms(valence, words, i);
                }
            }
        }
        return leastCheck(valence, words, i);
    }

    private static double scalar(String word, double valence, boolean capDifferential) {
        Double booster = BOOSTERS.get(lower(word));
        if (booster == null) {
            return 0;
        }
        double scalar = valence < 0 ? -booster : booster;
        if (isUpper(word) && capDifferential) {
            scalar += valence > 0 ? C_INCR : -C_INCR;
        }
        return scalar;
    }

    private static double negationCheck(double valence, List<String> words, int start, int i) {
        String before1 = lower(words.get(i - 1));
        switch (start) {
            case 0 -> {
                if (negated(before1)) {
                    return valence * N_SCALAR;
                }
            }
            case 1 -> {
                String before2 = lower(words.get(i - 2));
                if (before2.equals("never") && (before1.equals("so") || before1.equals("this"))) {
                    return valence * 1.25;
                } else if (before2.equals("without") && before1.equals("doubt")) {
                    return valence;
                } else if (negated(before2)) {
                    return valence * N_SCALAR;
                }
            }
            default -> {
                String before2 = lower(words.get(i - 2));
                String before3 = lower(words.get(i - 3));
                if ((before3.equals("never") && (before2.equals("so") || before2.equals("this")))
                        || before1.equals("so") || before1.equals("this")) {
                    return valence * 1.25;
                } else if (before3.equals("without") && (before2.equals("doubt") || before1.equals("doubt"))) {
                    return valence;
                } else if (negated(before3)) {
                    return valence * N_SCALAR;
                }
            }
        }
        return valence;
    }

    private static boolean negated(String lowerWord) {
        return NEGATE.contains(lowerWord) || lowerWord.contains("n't");
    }

    private static double specialIdioms(double valence, List<String> words, int i) {
        String w0 = lower(words.get(i));
        String w1 = lower(words.get(i - 1));
        String w2 = lower(words.get(i - 2));
        String w3 = lower(words.get(i - 3));
        for (String sequence : List.of(w1 + " " + w0, w2 + " " + w1 + " " + w0, w2 + " " + w1,
                w3 + " " + w2 + " " + w1, w3 + " " + w2)) {
            Double special = SPECIAL_CASES.get(sequence);
            if (special != null) {
                valence = special;
                break;
            }
        }
        if (words.size() - 1 > i) {
            String w = lower(words.get(i + 1));
            valence = SPECIAL_CASES.getOrDefault(w0 + " " + w, valence);
            if (words.size() - 1 > i + 1) {
                valence = SPECIAL_CASES.getOrDefault(w0 + " " + w + " " + lower(words.get(i + 2)), valence);
            }
        }
        for (String nGram : List.of(w3 + " " + w2 + " " + w1, w3 + " " + w2, w2 + " " + w1)) {
            Double booster = BOOSTERS.get(nGram);
            if (booster != null) {
                valence += booster;
            }
        }
        return valence;
    }

    private double leastCheck(double valence, List<String> words, int i) {
        if (i > 1 && !lexicon.containsKey(lower(words.get(i - 1))) && lower(words.get(i - 1)).equals("least")) {
            String before2 = lower(words.get(i - 2));
            if (!before2.equals("at") && !before2.equals("very")) {
                return valence * N_SCALAR;
            }
        } else if (i > 0 && !lexicon.containsKey(lower(words.get(i - 1)))
                && lower(words.get(i - 1)).equals("least")) {
            return valence * N_SCALAR;
        }
        return valence;
    }

    /**
     * Scores before the first "but" count half, after it one and a half. The package finds each score's position by
     * its value ({@code list.index}), so equal scores share the first one's position; kept for equal results.
     */
    private static void butCheck(List<String> words, List<Double> sentiments) {
        int but = -1;
        for (int i = 0; i < words.size() && but < 0; i++) {
            if (lower(words.get(i)).equals("but")) {
                but = i;
            }
        }
        if (but < 0) {
            return;
        }
        for (int p = 0; p < sentiments.size(); p++) {
            double sentiment = sentiments.get(p);
            int at = firstIndexOf(sentiments, sentiment);
            if (at < but) {
                sentiments.set(at, sentiment * 0.5);
            } else if (at > but) {
                sentiments.set(at, sentiment * 1.5);
            }
        }
    }

    private static int firstIndexOf(List<Double> values, double value) {
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == value) {
                return i;
            }
        }
        throw new IllegalStateException("the value came from the list");
    }

    private static double punctuationEmphasis(String text) {
        long exclamations = Math.min(4, text.chars().filter(c -> c == '!').count());
        long questions = text.chars().filter(c -> c == '?').count();
        double questionEmphasis = questions <= 1 ? 0 : questions <= 3 ? questions * 0.18 : 0.96;
        return exclamations * 0.292 + questionEmphasis;
    }

    private String describeEmojis(String text) {
        var plain = new StringBuilder(text.length());
        boolean previousSpace = true;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            String description = emojis.get(cp);
            if (description != null) {
                if (!previousSpace) {
                    plain.append(' ');
                }
                plain.append(description);
                previousSpace = false;
            } else {
                plain.appendCodePoint(cp);
                previousSpace = cp == ' ';
            }
        }
        return plain.toString();
    }

    /** Whitespace-separated tokens, leading and trailing punctuation removed unless that leaves two or fewer. */
    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String token : text.split("(?U)\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            int from = 0;
            int to = token.length();
            while (from < to && PUNCTUATION.indexOf(token.charAt(from)) >= 0) {
                from++;
            }
            while (to > from && PUNCTUATION.indexOf(token.charAt(to - 1)) >= 0) {
                to--;
            }
            String stripped = token.substring(from, to);
            words.add(stripped.codePointCount(0, stripped.length()) <= 2 ? token : stripped);
        }
        return words;
    }

    /** Whether some, but not all, words are in capitals. */
    private static boolean capDifferential(List<String> words) {
        long capitals = words.stream().filter(VaderSentiment::isUpper).count();
        long others = words.size() - capitals;
        return others > 0 && others < words.size();
    }

    /** Python's str.isupper: at least one cased character, and no lower- or title-case one. */
    private static boolean isUpper(String word) {
        boolean cased = false;
        for (int i = 0; i < word.length(); ) {
            int cp = word.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLowerCase(cp) || Character.isTitleCase(cp)) {
                return false;
            }
            cased |= Character.isUpperCase(cp);
        }
        return cased;
    }

    private static String lower(String word) {
        return word.toLowerCase(Locale.ROOT);
    }

    private static Map<String, Double> boosters() {
        Map<String, Double> boosters = new HashMap<>();
        for (String word : List.of("absolutely", "amazingly", "awfully", "completely", "considerable",
                "considerably", "decidedly", "deeply", "effing", "enormous", "enormously", "entirely", "especially",
                "exceptional", "exceptionally", "extreme", "extremely", "fabulously", "flipping", "flippin",
                "frackin", "fracking", "fricking", "frickin", "frigging", "friggin", "fully", "fuckin", "fucking",
                "fuggin", "fugging", "greatly", "hella", "highly", "hugely", "incredible", "incredibly", "intensely",
                "major", "majorly", "more", "most", "particularly", "purely", "quite", "really", "remarkably", "so",
                "substantially", "thoroughly", "total", "totally", "tremendous", "tremendously", "uber",
                "unbelievably", "unusually", "utter", "utterly", "very")) {
            boosters.put(word, B_INCR);
        }
        for (String word : List.of("almost", "barely", "hardly", "just enough", "kind of", "kinda", "kindof",
                "kind-of", "less", "little", "marginal", "marginally", "occasional", "occasionally", "partly",
                "scarce", "scarcely", "slight", "slightly", "somewhat", "sort of", "sorta", "sortof", "sort-of")) {
            boosters.put(word, B_DECR);
        }
        return Map.copyOf(boosters);
    }

    private static List<String[]> rows(String resource) {
        List<String[]> rows = new ArrayList<>();
        try (InputStream in = VaderSentiment.class.getResourceAsStream("/monitoring/vader/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("VADER lexicon missing from the class path: " + resource);
            }
            var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    rows.add(line.strip().split("\t"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }
}
