package dev.hanul.engine.tokenizer;

import dev.hanul.engine.gguf.GgufException;
import dev.hanul.engine.gguf.GgufFile;
import java.util.BitSet;
import java.util.Set;

/**
 * Turns text into token ids and back, with the vocabulary and algorithm stored in a GGUF file; behaves as llama.cpp's
 * llama-vocab.cpp. Instances are immutable and safe to share between threads; a {@link StreamingDetokenizer} is not.
 */
public interface Tokenizer {

    /**
     * The tokenizer a GGUF file describes, chosen by {@code tokenizer.ggml.model}: "llama" is SentencePiece BPE
     * (Llama 1/2, Mistral, TinyLlama, ...), "gpt2" is byte-level BPE (GPT-2, SmolLM2, Qwen, Llama 3, ...).
     */
    static Tokenizer fromGguf(GgufFile gguf) {
        String model = gguf.getString("tokenizer.ggml.model");
        return switch (model) {
            case "llama" -> SentencePieceTokenizer.fromGguf(gguf);
            case "gpt2" -> ByteLevelBpeTokenizer.fromGguf(gguf);
            default -> throw new GgufException(("%s: tokenizer.ggml.model '%s' is not supported; supported are "
                    + "'llama' (SentencePiece BPE) and 'gpt2' (byte-level BPE)")
                    .formatted(gguf.path().getFileName(), model));
        };
    }

    /** The ids of the text, without BOS/EOS; special-token text such as {@code <s>} is tokenized as plain text. */
    default int[] encode(String text) {
        return encode(text, false);
    }

    /**
     * The ids of the text, without BOS/EOS. With {@code parseSpecial}, control tokens written in the text (for example
     * {@code <|im_start|>}) become their ids; user-defined tokens always do, as in llama.cpp.
     */
    int[] encode(String text, boolean parseSpecial);

    /**
     * As {@link #encode(String, boolean)} with special tokens parsed, except that a special token's text starting at a
     * character set in {@code plain} is tokenized as plain text: the parts of a prompt that are data (what a user
     * wrote) can then never become control tokens, whatever they spell.
     */
    int[] encode(String text, BitSet plain);

    /**
     * The texts that special-token parsing turns into control tokens (chat markers such as {@code <|im_start|>}, BOS,
     * EOS), which plain text must not be allowed to spell; user-defined tokens are not among them, as they are split
     * out of any text, in llama.cpp too.
     */
    Set<String> controlTokenTexts();

    /**
     * A prompt ready for the model: the text with its special tokens honored, BOS first when the model wants one (an
     * empty prompt always starts from BOS, as in llama.cpp), EOS last when the model wants one.
     */
    default int[] encodePrompt(String text) {
        return encodePrompt(text, new BitSet());
    }

    /**
     * {@link #encodePrompt(String)}, with special tokens honored only outside {@code plain} (see
     * {@link #encode(String, BitSet)}).
     */
    default int[] encodePrompt(String text, BitSet plain) {
        int[] ids = encode(text, plain);
        boolean bos = (addBos() || ids.length == 0) && bos() >= 0 && (ids.length == 0 || ids[0] != bos());
        boolean eos = addEos() && eos() >= 0;
        int[] prompt = new int[ids.length + (bos ? 1 : 0) + (eos ? 1 : 0)];
        if (bos) {
            prompt[0] = bos();
        }
        System.arraycopy(ids, 0, prompt, bos ? 1 : 0, ids.length);
        if (eos) {
            prompt[prompt.length - 1] = eos();
        }
        return prompt;
    }

    /** Whether a prompt should start with {@link #bos()} (tokenizer.ggml.add_bos_token or the model type's default). */
    boolean addBos();

    /** Whether a prompt should end with {@link #eos()} (tokenizer.ggml.add_eos_token, default false). */
    boolean addEos();

    /** The beginning-of-sequence token, or -1 when the vocabulary has none. */
    int bos();

    /** The end-of-sequence token, or -1 when the vocabulary has none. */
    int eos();

    /** The tokens that end generation: EOS, EOT, EOM and those llama.cpp recognises by text (<|im_end|>, ...). */
    Set<Integer> stopTokens();

    int vocabularySize();

    /** The token's text as stored in the vocabulary (for example "▁Hello" or "<0x0A>"). */
    String token(int id);

    /** Whether the token is a control token (BOS, EOS, chat markers), which decodes to nothing. */
    boolean isSpecial(int id);

    /** The UTF-8 bytes the token decodes to; possibly part of a character, empty for control tokens. */
    byte[] tokenBytes(int id);

    /** The text of the ids; control tokens are left out. */
    default String decode(int[] ids) {
        return decode(ids, false);
    }

    /** The text of the ids; with {@code renderSpecial}, control tokens appear as their text. */
    String decode(int[] ids, boolean renderSpecial);

    /** A detokenizer for one generated sequence: feed it ids one at a time and get whole characters back. */
    StreamingDetokenizer newDetokenizer();
}
