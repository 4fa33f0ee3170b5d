package dev.hanul.engine.tokenizer;

import dev.hanul.engine.gguf.GgufException;
import dev.hanul.engine.gguf.GgufFile;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The token table of a GGUF tokenizer (tokenizer.ggml.*): texts, scores, types, the special ids and flags, and the
 * end-of-generation set, read with llama.cpp's defaults and its by-text detection of tokens the file does not name.
 */
final class Vocabulary {

    /** What llama.cpp assumes for a tokenizer model when the file is silent; -1 means no such token. */
    record Defaults(int bos, int eos, int unk, boolean addBos, boolean addEos, boolean addSpacePrefix) {
    }

    private static final String KEY = "tokenizer.ggml.";

    // Tokens that end generation, recognised by their text because converters do not always name them.
    private static final List<String> END_OF_GENERATION_TEXTS = List.of(
            "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>",
            "<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]",
            "<|end_of_text|>", "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>",
            "<\uFF5Cend\u2581of\u2581sentence\uFF5C>", "[e~[");
    // Fill-in-the-middle padding, repository and file-separator tokens also end generation.
    private static final Map<String, List<String>> FIM_END_TEXTS = Map.of(
            "fim_pad_token_id", List.of("<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]"),
            "fim_rep_token_id", List.of("<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>"),
            "fim_sep_token_id", List.of("<|file_sep|>"));
    // The other fill-in-the-middle markers do not end generation but are control tokens.
    private static final Map<String, List<String>> FIM_MARKER_TEXTS = Map.of(
            "fim_pre_token_id", List.of("<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>",
                    "<\uFF5Cfim\u2581begin\uFF5C>", "<PRE>", "\u2581<PRE>", "<|code_prefix|>", "<|prefix|>"),
            "fim_suf_token_id", List.of("<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>",
                    "<\uFF5Cfim\u2581hole\uFF5C>", "<SUF>", "\u2581<SUF>", "<|code_suffix|>", "<|suffix|>"),
            "fim_mid_token_id", List.of("<|fim_middle|>", "<fim-middle>", "<fim_middle>",
                    "<\uFF5Cfim\u2581end\uFF5C>", "<MID>", "\u2581<MID>", "<|code_middle|>", "<|middle|>"));
    // gpt-oss writes these inside a message; llama.cpp always renders them.
    private static final List<String> ALWAYS_RENDERED_TEXTS =
            List.of("<|channel|>", "<|message|>", "<|start|>", "<|constrain|>");

    private final String[] texts;
    private final float[] scores;
    private final TokenType[] types;
    private final Map<String, Integer> ids;
    private final int bos;
    private final int eos;
    private final int unk;
    private final boolean addBos;
    private final boolean addEos;
    private final boolean addSpacePrefix;
    private final Set<Integer> endOfGeneration;
    private final SpecialTokenSplitter specialTokens;

    private Vocabulary(GgufFile gguf, Defaults defaults) {
        String file = gguf.path().getFileName().toString();
        texts = gguf.getStringArray(KEY + "tokens").clone();
        int size = texts.length;
        scores = scores(gguf, file, size);
        types = types(gguf, file, size);
        ids = HashMap.newHashMap(size);
        for (int id = 0; id < size; id++) {
            if (texts[id].isEmpty()) {
                texts[id] = "[EMPTY_" + id + "]"; // as llama.cpp, so that no token matches everywhere
            }
            Integer previous = ids.putIfAbsent(texts[id], id);
            if (previous != null) {
                throw new GgufException("%s: duplicate token in vocabulary: '%s' has ids %d and %d"
                        .formatted(file, texts[id], previous, id));
            }
        }
        bos = specialId(gguf, "bos_token_id", defaults.bos());
        eos = specialId(gguf, "eos_token_id", defaults.eos());
        unk = specialId(gguf, "unknown_token_id", defaults.unk());
        addBos = gguf.getBoolean(KEY + "add_bos_token", defaults.addBos());
        addEos = gguf.getBoolean(KEY + "add_eos_token", defaults.addEos());
        addSpacePrefix = gguf.getBoolean(KEY + "add_space_prefix", defaults.addSpacePrefix());
        requireIdIfAdded(file, addBos, bos, "bos");
        requireIdIfAdded(file, addEos, eos, "eos");
        endOfGeneration = Collections.unmodifiableSet(endOfGeneration(gguf));
        specialTokens = new SpecialTokenSplitter(texts, types, stripsRight(gguf));
    }

    private static void requireIdIfAdded(String file, boolean added, int id, String which) {
        if (added && id < 0) {
            throw new GgufException("%s: %sadd_%s_token is true, but %s%s_token_id is not set"
                    .formatted(file, KEY, which, KEY, which));
        }
    }

    static Vocabulary read(GgufFile gguf, Defaults defaults) {
        return new Vocabulary(gguf, defaults);
    }

    int size() {
        return texts.length;
    }

    String text(int id) {
        return texts[id];
    }

    float score(int id) {
        return scores[id];
    }

    TokenType type(int id) {
        return types[id];
    }

    /** The id of the token with exactly this text, or -1. */
    int id(String text) {
        Integer id = ids.get(text);
        return id == null ? -1 : id;
    }

    int bos() {
        return bos;
    }

    int eos() {
        return eos;
    }

    int unk() {
        return unk;
    }

    boolean addBos() {
        return addBos;
    }

    boolean addEos() {
        return addEos;
    }

    boolean addSpacePrefix() {
        return addSpacePrefix;
    }

    Set<Integer> endOfGeneration() {
        return endOfGeneration;
    }

    SpecialTokenSplitter specialTokens() {
        return specialTokens;
    }

    /** llama.cpp's end-of-generation set; tokens it recognises by their text become control tokens. */
    private Set<Integer> endOfGeneration(GgufFile gguf) {
        Set<Integer> result = new TreeSet<>();
        FIM_MARKER_TEXTS.forEach((key, candidates) -> namedOrFound(gguf, key, candidates));
        FIM_END_TEXTS.forEach((key, candidates) -> result.addAll(namedOrFound(gguf, key, candidates)));
        for (String text : END_OF_GENERATION_TEXTS) {
            int id = id(text);
            if (id >= 0) {
                result.add(id);
                types[id] = TokenType.CONTROL;
            }
        }
        for (String text : ALWAYS_RENDERED_TEXTS) {
            int id = id(text);
            if (id >= 0) {
                types[id] = TokenType.USER_DEFINED;
            }
        }
        for (int id : new int[] {eos, specialId(gguf, "eot_token_id", -1), specialId(gguf, "eom_token_id", -1)}) {
            if (id >= 0) {
                result.add(id);
            }
        }
        // gpt-oss (o200k_harmony) and solar-open end a message with <|end|> and go on: there it ends no generation.
        int end = id("<|end|>");
        if (result.contains(end) && ((contains(result, "<|return|>") && contains(result, "<|call|>"))
                || (contains(result, "<|calls|>") && contains(result, "<|flush|>")))) {
            result.remove(end);
            types[end] = TokenType.USER_DEFINED;
        }
        // Gemma 4 and PaddleOCR use </s> as ordinary text.
        int closing = id("</s>");
        if (result.contains(closing) && contains(result, "<|tool_response>")) {
            result.remove(closing);
            types[closing] = TokenType.NORMAL;
        }
        return result;
    }

    /**
     * Which special tokens swallow the whitespace after them. llama.cpp sets this only for Phi-3, recognised by
     * general.name: all special tokens and "</s>", except "<unk>", "<s>" and "<|endoftext|>".
     */
    private boolean[] stripsRight(GgufFile gguf) {
        boolean[] strips = new boolean[texts.length];
        String name = gguf.getString("general.name", "").toLowerCase(Locale.ROOT);
        if (name.contains("phi-3") || name.contains("phi3")) {
            for (int id = 0; id < texts.length; id++) {
                strips[id] = types[id].matchedWhole();
            }
            for (String text : List.of("</s>", "<unk>", "<s>", "<|endoftext|>")) {
                int id = id(text);
                if (id >= 0) {
                    strips[id] = text.equals("</s>");
                }
            }
        }
        return strips;
    }

    /**
     * The token the file names under the key, else every token whose text is one of the candidates; a token found by
     * its text becomes a control token, as llama.cpp overrides a converter that forgot to mark it.
     */
    private List<Integer> namedOrFound(GgufFile gguf, String key, List<String> candidates) {
        int named = specialId(gguf, key, -1);
        if (named >= 0) {
            return List.of(named);
        }
        List<Integer> found = candidates.stream().map(this::id).filter(id -> id >= 0).toList();
        found.forEach(id -> types[id] = TokenType.CONTROL);
        return found;
    }

    private boolean contains(Set<Integer> set, String text) {
        int id = id(text);
        return id >= 0 && set.contains(id);
    }

    /** The id stored under the key when it is a valid token, else the default when that is one, else -1. */
    private int specialId(GgufFile gguf, String key, int fallback) {
        int id = fallback >= 0 && fallback < texts.length ? fallback : -1;
        if (gguf.metadata().get(KEY + key) instanceof Number n && n.longValue() >= 0 && n.longValue() < texts.length) {
            id = n.intValue();
        }
        return id;
    }

    private static float[] scores(GgufFile gguf, String file, int size) {
        String key = KEY + "scores";
        Object value = gguf.metadata().get(key);
        float[] scores = switch (value) {
            case null -> new float[size];
            case float[] floats -> floats;
            case int[] ints -> { // llama.cpp accepts integer scores too
                float[] floats = new float[ints.length];
                for (int i = 0; i < ints.length; i++) {
                    floats[i] = ints[i];
                }
                yield floats;
            }
            default -> throw new GgufException("%s: %s is not an array of numbers".formatted(file, key));
        };
        if (scores.length < size) {
            throw new GgufException("%s: %s has %d entries for %d tokens".formatted(file, key, scores.length, size));
        }
        return scores;
    }

    private static TokenType[] types(GgufFile gguf, String file, int size) {
        String key = KEY + "token_type";
        TokenType[] types = new TokenType[size];
        if (!gguf.has(key)) {
            java.util.Arrays.fill(types, TokenType.NORMAL);
            return types;
        }
        int[] codes = gguf.getIntArray(key);
        if (codes.length < size) {
            throw new GgufException("%s: %s has %d entries for %d tokens".formatted(file, key, codes.length, size));
        }
        for (int i = 0; i < size; i++) {
            types[i] = TokenType.ofGgufCode(codes[i]);
        }
        return types;
    }
}
