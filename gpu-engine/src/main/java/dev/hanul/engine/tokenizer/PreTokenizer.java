package dev.hanul.engine.tokenizer;

import dev.hanul.engine.gguf.GgufException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How byte-level BPE cuts text into words before merging (tokenizer.ggml.pre), with the regexes of llama.cpp's
 * llm_tokenizer_bpe. Each regex splits every piece the previous one produced; both the matches and the text between
 * them become pieces, as in llama.cpp's unicode_regex_split.
 *
 * <p>The regexes are written as llama.cpp writes them. {@code \s} and {@code \S} then mean Unicode White_Space, as in
 * llama.cpp's character tables and Hugging Face's Oniguruma (Java's own {@code \s} is ASCII-only); {@code \p{L}} and
 * {@code \p{N}} are Unicode categories in Java already. A lookahead such as {@code \s+(?!\S)} cannot see past the
 * piece it splits, since matchers run with opaque region bounds.
 */
enum PreTokenizer {

    GPT2(false, false, List.of(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)"),
            "gpt-2", "gpt2", "phi-2", "mpt", "olmo", "jais", "jina-es", "jina-de", "gigachat", "a.x-4.0", "mellum",
            "exaone4", "trillion", "granite-docling"),

    DEFAULT(false, false, List.of(
            "[\\p{P}\\$\\+<=>\\^~\\|]+",
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)",
            "\\p{N}+",
            "[0-9][0-9][0-9]"),
            "default"),

    /** GPT-2's regex after splitting off every digit: StarCoder, Refact, SmolLM, Command-R. */
    STARCODER(false, false, List.of(
            "\\p{N}",
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)"),
            "starcoder", "refact", "smollm", "command-r", "codeshell", "exaone", "minerva-7b", "mellum2"),

    /** Llama 3's tokens are often whole pre-tokenized words, which llama.cpp then takes without merging. */
    LLAMA3(true, true, List.of(
            "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
                    + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
            "llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2",
            "jina-v5-nano"),

    /** Llama 3's regex without its merge shortcut and BOS default. */
    DBRX(false, false, LLAMA3.regexes, "dbrx", "smaug-bpe"),

    QWEN2(false, false, List.of(
            "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
                    + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
            "qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2", "megrez", "stablelm2", "hunyuan", "solar-open"),

    /**
     * Ranges that hold non-ASCII whitespace end in "&&[^\\s]": llama.cpp matches regexes that name no Unicode category
     * on text whose non-ASCII whitespace is replaced by U+000B, so such whitespace (U+3000, U+2000-U+200A, ...) matches
     * {@code \s} but never a listed range.
     */
    DEEPSEEK_LLM(false, false, List.of(
            "[\r\n]",
            // cased letters of many scripts (Latin, Greek, Cyrillic, Armenian, Georgian, Cherokee, ...)
            "\\s?[A-Za-z\\x{B5}\\x{C0}-\\x{D6}\\x{D8}-\\x{F6}\\x{F8}-\\x{1BA}\\x{1BC}-\\x{1BF}\\x{1C4}-\\x{293}"
                    + "\\x{295}-\\x{2AF}\\x{370}-\\x{373}\\x{376}\\x{377}\\x{37B}-\\x{37D}\\x{37F}\\x{386}"
                    + "\\x{388}-\\x{38A}\\x{38C}\\x{38E}-\\x{3A1}\\x{3A3}-\\x{3F5}\\x{3F7}-\\x{481}\\x{48A}-\\x{52F}"
                    + "\\x{531}-\\x{556}\\x{10A0}-\\x{10C5}\\x{13A0}-\\x{13F5}\\x{13F8}-\\x{13FD}\\x{1C90}-\\x{1CBA}"
                    + "\\x{1CBD}-\\x{1CBF}\\x{1D00}-\\x{1D2B}\\x{1D6B}-\\x{1D77}\\x{1D79}-\\x{1D9A}\\x{1E00}-\\x{1F15}"
                    + "\\x{1F18}-\\x{1F1D}\\x{1F20}-\\x{1F45}\\x{1F48}-\\x{1F4D}\\x{1F50}-\\x{1F57}\\x{1F59}\\x{1F5B}"
                    + "\\x{1F5D}\\x{1F5F}-\\x{1F7D}\\x{1F80}-\\x{1FB4}\\x{1FB6}-\\x{1FBC}\\x{1FBE}\\x{1FC2}-\\x{1FC4}"
                    + "\\x{1FC6}-\\x{1FCC}\\x{1FD0}-\\x{1FD3}\\x{1FD6}-\\x{1FDB}\\x{1FE0}-\\x{1FEC}\\x{1FF2}-\\x{1FF4}"
                    + "\\x{1FF6}-\\x{1FFC}\\x{2102}\\x{2107}\\x{210A}-\\x{2113}\\x{2115}\\x{2119}-\\x{211D}\\x{2124}"
                    + "\\x{2126}\\x{2128}\\x{212A}-\\x{212D}\\x{212F}-\\x{2134}\\x{2139}\\x{213C}-\\x{213F}"
                    + "\\x{2145}-\\x{2149}\\x{214E}\\x{2183}\\x{2184}\\x{2C00}-\\x{2C7B}\\x{2C7E}-\\x{2CE4}"
                    + "\\x{2CEB}-\\x{2CEE}\\x{2CF2}\\x{2CF3}\\x{A640}-\\x{A66D}\\x{A680}-\\x{A69B}\\x{A722}-\\x{A76F}"
                    + "\\x{A771}-\\x{A787}\\x{A78B}-\\x{A78E}\\x{AB70}-\\x{ABBF}\\x{FB00}-\\x{FB06}\\x{FB13}-\\x{FB17}"
                    + "\\x{FF21}-\\x{FF3A}\\x{FF41}-\\x{FF5A}\\x{10400}-\\x{1044F}\\x{104B0}-\\x{104D3}"
                    + "\\x{104D8}-\\x{104FB}\\x{10C80}-\\x{10CB2}\\x{10CC0}-\\x{10CF2}\\x{118A0}-\\x{118DF}"
                    + "\\x{1E900}-\\x{1E943}]+",
            // ASCII and full-width punctuation, quotation marks, ideographic space and full stop
            "\\s?[!-/:-~\\x{FF01}-\\x{FF0F}\\x{FF1A}-\\x{FF5E}\\x{2018}-\\x{201F}\\x{3000}-\\x{3002}&&[^\\s]]+",
            // llama.cpp's "\\s+$", trailing whitespace; tried only where a whitespace run starts, since a search from
            // every position of a long run would be quadratic (the matches are the same)
            "(?<!\\s)\\s++$",
            // CJK ideographs, U+0800 up to them, and Hangul
            "[\\x{4E00}-\\x{9FA5}\\x{0800}-\\x{4E00}\\x{AC00}-\\x{D7FF}&&[^\\s]]+",
            "\\p{N}+"),
            "deepseek-llm"),

    /** The CJK range ends in "&&[^\\s]" for the reason given at {@link #DEEPSEEK_LLM}. */
    DEEPSEEK_CODER(false, false, List.of(
            "[\r\n]",
            "\\s?\\p{L}+",
            "\\s?\\p{P}+",
            "[\\x{4E00}-\\x{9FA5}\\x{0800}-\\x{4E00}\\x{AC00}-\\x{D7FF}&&[^\\s]]+",
            "\\p{N}"),
            "deepseek-coder"),

    FALCON(false, false, List.of(
            "[\\p{P}\\$\\+<=>\\^~\\|`]+",
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)",
            "[0-9][0-9][0-9]"),
            "falcon");

    /** Receives one piece of the text, as a non-empty char range (no regex here matches the empty string). */
    @FunctionalInterface
    interface PieceConsumer {
        void accept(int start, int end);
    }

    private final boolean ignoreMerges;
    private final boolean addsBos;
    private final List<String> regexes;
    private final Pattern[] patterns;
    private final List<String> names;

    PreTokenizer(boolean ignoreMerges, boolean addsBos, List<String> regexes, String... names) {
        this.ignoreMerges = ignoreMerges;
        this.addsBos = addsBos;
        this.regexes = regexes;
        this.patterns = regexes.stream().map(PreTokenizer::compile).toArray(Pattern[]::new);
        this.names = List.of(names);
    }

    /** The pre-tokenizer of a tokenizer.ggml.pre value; a missing value means "default", as in llama.cpp. */
    static PreTokenizer named(String name, String file) {
        String wanted = name == null ? "default" : name;
        return Arrays.stream(values()).filter(p -> p.names.contains(wanted)).findFirst()
                .orElseThrow(() -> new GgufException("%s: tokenizer.ggml.pre '%s' is not supported; supported are %s"
                        .formatted(file, wanted, Arrays.stream(values()).flatMap(p -> p.names.stream())
                                .collect(Collectors.joining(", ")))));
    }

    /** Whether a word that is itself a token is taken whole, without BPE (llama.cpp's ignore_merges). */
    boolean ignoreMerges() {
        return ignoreMerges;
    }

    /** Whether llama.cpp adds BOS by default with this pre-tokenizer (the file's add_bos_token still wins). */
    boolean addsBos() {
        return addsBos;
    }

    /** Cuts characters [start, end) of the text into pieces, handed over in order. */
    void split(String text, int start, int end, PieceConsumer out) {
        Matcher[] matchers = new Matcher[patterns.length];
        for (int i = 0; i < patterns.length; i++) {
            matchers[i] = patterns[i].matcher(text);
        }
        split(matchers, 0, start, end, out);
    }

    private static void split(Matcher[] matchers, int level, int start, int end, PieceConsumer out) {
        if (level == matchers.length) {
            out.accept(start, end);
            return;
        }
        Matcher matcher = matchers[level].region(start, end);
        int done = start;
        while (matcher.find()) {
            if (matcher.start() > done) {
                split(matchers, level + 1, done, matcher.start(), out);
            }
            int matchEnd = matcher.end();
            split(matchers, level + 1, matcher.start(), matchEnd, out);
            done = matchEnd;
        }
        if (done < end) {
            split(matchers, level + 1, done, end, out);
        }
    }

    private static Pattern compile(String regex) {
        return Pattern.compile(regex.replace("\\s", "\\p{IsWhite_Space}").replace("\\S", "\\P{IsWhite_Space}"));
    }
}
