package dev.hanul.monitoring;

import java.util.regex.Pattern;

/**
 * Plain statistics of a text: characters, words, sentences, the Flesch reading ease (English syllables counted as
 * vowel groups, a known approximation) and the share of Hangul letters among letters (a cheap language signal).
 */
record TextStatistics(int characters, int words, int sentences, double readingEase, double hangulShare) {

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}']+");
    private static final Pattern SENTENCE_END = Pattern.compile("[.!?。]+(\\s|$)");
    private static final Pattern VOWELS = Pattern.compile("[aeiouy]+");

    static TextStatistics of(String text) {
        if (text == null || text.isBlank()) {
            return new TextStatistics(0, 0, 0, Double.NaN, 0);
        }
        int words = 0;
        int syllables = 0;
        var matcher = WORD.matcher(text);
        while (matcher.find()) {
            words++;
            syllables += syllables(matcher.group().toLowerCase(java.util.Locale.ROOT));
        }
        int sentences = Math.max(1, (int) SENTENCE_END.matcher(text).results().count());
        long letters = text.codePoints().filter(Character::isLetter).count();
        long hangul = text.codePoints().filter(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HANGUL)
                .count();
        double ease = words == 0 ? Double.NaN
                : 206.835 - 1.015 * ((double) words / sentences) - 84.6 * ((double) syllables / words);
        return new TextStatistics(text.length(), words, sentences, ease, letters == 0 ? 0 : (double) hangul / letters);
    }

    private static int syllables(String word) {
        int groups = (int) VOWELS.matcher(word).results().count();
        if (word.endsWith("e") && groups > 1) {
            groups--;
        }
        return Math.max(1, groups);
    }
}
