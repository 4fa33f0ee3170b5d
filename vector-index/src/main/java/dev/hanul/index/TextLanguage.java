package dev.hanul.index;

/**
 * Which analyzer indexes a chunk's text for BM25. Korean needs its own: Korean words carry particles and endings
 * ("문서를", "문서에서") that only a morphological analyzer (Nori) splits off, while StandardAnalyzer would keep each
 * whole and so never match the bare noun in a query.
 */
public enum TextLanguage {
    /** StandardAnalyzer; also the fallback for any text that is not mainly Korean. */
    ENGLISH("en"),
    /** Nori (KoreanAnalyzer). */
    KOREAN("ko");

    /**
     * Share of Hangul among letters from which a text counts as Korean. Below one half on purpose: Korean technical
     * prose is full of Latin product names and code, and Nori handles those Latin runs well, whereas
     * StandardAnalyzer mangles Korean.
     */
    static final double KOREAN_SHARE = 0.3;

    static final double SYLLABLE_WEIGHT = 2.5;

    private final String code;

    TextLanguage(String code) {
        this.code = code;
    }

    /** ISO 639-1 code, as stored in the index. */
    public String code() {
        return code;
    }

    public static TextLanguage detect(String text) {
        long letters = 0;
        long hangul = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            if (Character.isLetter(codePoint)) {
                letters++;
                if (Character.UnicodeScript.of(codePoint) == Character.UnicodeScript.HANGUL) {
                    hangul++;
                }
            }
            i += Character.charCount(codePoint);
        }
        return letters > 0 && hangul >= KOREAN_SHARE * letters ? KOREAN : ENGLISH;
    }

    /**
     * The languages a text is written in, for indexing: Korean when Hangul makes up {@link #KOREAN_SHARE} of its
     * letters, English (any Latin-script text) when other letters do; a text of both is in both. Never empty. A Hangul
     * syllable counts as {@link #SYLLABLE_WEIGHT} letters here: it holds two or three letters' worth of sound, and
     * counted one to one, a sentence of each language would make the Korean half look like a minority.
     */
    public static java.util.Set<TextLanguage> present(String text) {
        long letters = 0;
        long hangul = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            if (Character.isLetter(codePoint)) {
                letters++;
                if (Character.UnicodeScript.of(codePoint) == Character.UnicodeScript.HANGUL) {
                    hangul++;
                }
            }
            i += Character.charCount(codePoint);
        }
        var languages = java.util.EnumSet.noneOf(TextLanguage.class);
        double korean = SYLLABLE_WEIGHT * hangul;
        double weighted = korean + (letters - hangul);
        if (letters > 0 && korean >= KOREAN_SHARE * weighted) {
            languages.add(KOREAN);
        }
        if (letters == 0 || letters - hangul >= KOREAN_SHARE * weighted) {
            languages.add(ENGLISH);
        }
        return languages;
    }

    static TextLanguage ofCode(String code) {
        for (TextLanguage language : values()) {
            if (language.code.equals(code)) {
                return language;
            }
        }
        throw new IllegalArgumentException("unknown text language code '" + code + "'");
    }
}
