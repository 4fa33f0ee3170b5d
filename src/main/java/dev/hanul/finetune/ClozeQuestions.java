package dev.hanul.finetune;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Question/answer pairs from a passage by an extractive heuristic, without a model: each sentence that holds a
 * number (with its unit word, e.g. "1,200 km", "1998") or a name (a run of capitalized words that does not start the
 * sentence) becomes a fill-in-the-blank question whose answer is that span, verbatim from the passage. What the model
 * learns from them is the skill a RAG answer needs: find the span in the context and say it briefly, with the
 * citation. One question per sentence (the number when it has one, else the longest name); sentences shorter than
 * six words or longer than sixty are skipped.
 */
final class ClozeQuestions {

    private static final Pattern SENTENCE = Pattern.compile("[^.!?\\n]+[.!?]");
    private static final Pattern NUMBER = Pattern.compile(
            "\\b\\d[\\d,.]*(?:\\s?(?:%|percent|km|kilometres|kilometers|miles|metres|meters|years|people|"
                    + "million|billion|thousand))?");
    private static final Pattern NAME = Pattern.compile("(?<![.!?]\\s)\\b\\p{Lu}[\\p{L}'-]+(?:\\s+(?:of\\s+|the\\s+)?"
            + "\\p{Lu}[\\p{L}'-]+)*");
    static final String BLANK = "_____";

    /** A question about a passage and its answer, a span of the passage. */
    record Cloze(String question, String answer) {
    }

    private ClozeQuestions() {
    }

    static List<Cloze> of(String passage) {
        List<Cloze> questions = new ArrayList<>();
        Matcher sentences = SENTENCE.matcher(passage);
        while (sentences.find()) {
            String sentence = sentences.group().strip().replaceAll("\\s+", " ");
            int words = sentence.split(" ").length;
            if (words < 6 || words > 60) {
                continue;
            }
            String answer = number(sentence);
            if (answer == null) {
                answer = name(sentence);
            }
            if (answer != null) {
                int at = sentence.indexOf(answer);
                String blanked = sentence.substring(0, at) + BLANK + sentence.substring(at + answer.length());
                questions.add(new Cloze("What fills the blank in \"" + blanked + "\"?", answer));
            }
        }
        return questions;
    }

    private static String number(String sentence) {
        Matcher number = NUMBER.matcher(sentence);
        while (number.find()) {
            String span = number.group().replaceAll("[.,]+$", "");
            if (!span.isEmpty()) {
                return span;
            }
        }
        return null;
    }

    /** The longest capitalized run after the sentence's first word (the first word is capitalized anyway). */
    private static String name(String sentence) {
        int firstSpace = sentence.indexOf(' ');
        Matcher name = NAME.matcher(sentence);
        String best = null;
        while (name.find()) {
            if (name.start() > firstSpace && (best == null || name.group().length() > best.length())) {
                best = name.group();
            }
        }
        return best;
    }
}
