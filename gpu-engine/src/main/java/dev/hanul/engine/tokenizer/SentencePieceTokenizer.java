package dev.hanul.engine.tokenizer;

import dev.hanul.engine.gguf.GgufFile;
import java.nio.charset.StandardCharsets;
import java.util.PriorityQueue;

/**
 * SentencePiece BPE (tokenizer.ggml.model = "llama": Llama 1/2, Mistral, TinyLlama, Phi-3), as llama.cpp's
 * llm_tokenizer_spm. Spaces become "▁" and the text gets a leading one (add_space_prefix); the text starts as one
 * symbol per character and the adjacent pair whose concatenation is the highest-scoring token is merged, repeatedly.
 * A final symbol that is not a token is spelled with byte-fallback tokens {@code <0xNN>}, else the unknown token.
 *
 * <p>llama.cpp also keeps a table to resegment a final symbol that is not a token into the pair that formed it; every
 * merge here forms a token, so only single characters can end up as non-tokens, and they go straight to byte fallback.
 */
final class SentencePieceTokenizer extends AbstractTokenizer {

    private static final char SPACE = '\u2581';

    /** A candidate merge of two adjacent symbols into a token of the given score, spanning {@code length} chars. */
    private record Bigram(float score, int left, int right, int length) {
    }

    // Highest score first; between equal scores the leftmost pair, as llama.cpp's llm_bigram_spm comparator.
    private static final java.util.Comparator<Bigram> PRIORITY = (a, b) -> a.score > b.score ? -1
            : a.score < b.score ? 1 : Integer.compare(a.left, b.left);

    private final int[] byteTokens;

    private SentencePieceTokenizer(Vocabulary vocabulary) {
        super(vocabulary, text -> text.replace(SPACE, ' ').getBytes(StandardCharsets.UTF_8));
        byteTokens = new int[256];
        for (int b = 0; b < 256; b++) {
            int id = vocabulary.id("<0x%02X>".formatted(b));
            // llama.cpp falls back to a token that is the byte itself, which only an ASCII byte can be
            byteTokens[b] = id >= 0 || b >= 0x80 ? id : vocabulary.id(String.valueOf((char) b));
        }
    }

    static SentencePieceTokenizer fromGguf(GgufFile gguf) {
        return new SentencePieceTokenizer(Vocabulary.read(gguf, new Vocabulary.Defaults(1, 2, 0, true, false, true)));
    }

    @Override
    void encodeText(String text, int start, int end, boolean afterSpecial, IntList out) {
        StringBuilder escaped = new StringBuilder(end - start + 1);
        if (vocabulary.addSpacePrefix() && afterSpecial) {
            escaped.append(SPACE);
        }
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            escaped.append(c == ' ' ? SPACE : c);
        }
        new Session(escaped.toString()).tokenize(out);
    }

    /** One run of the merge loop over a piece of escaped text; symbols are char ranges linked into a list. */
    private final class Session {
        private final String text;
        private final int[] offset;
        private final int[] length;
        private final int[] prev;
        private final int[] next;
        private final PriorityQueue<Bigram> queue;

        Session(String text) {
            this.text = text;
            int count = text.codePointCount(0, text.length());
            offset = new int[count];
            length = new int[count];
            prev = new int[count];
            next = new int[count];
            for (int i = 0, at = 0; i < count; i++) {
                offset[i] = at;
                length[i] = Character.charCount(text.codePointAt(at));
                at += length[i];
                prev[i] = i - 1;
                next[i] = i + 1 < count ? i + 1 : -1;
            }
            queue = new PriorityQueue<>(Math.max(1, count), PRIORITY);
        }

        void tokenize(IntList out) {
            for (int i = 1; i < offset.length; i++) {
                tryAddBigram(i - 1, i);
            }
            while (!queue.isEmpty()) {
                Bigram bigram = queue.poll();
                int left = bigram.left();
                int right = bigram.right();
                // a symbol that has grown or been absorbed since the bigram was queued makes it stale
                if (length[left] == 0 || length[right] == 0 || length[left] + length[right] != bigram.length()) {
                    continue;
                }
                length[left] += length[right];
                length[right] = 0;
                next[left] = next[right];
                if (next[right] >= 0) {
                    prev[next[right]] = left;
                }
                tryAddBigram(prev[left], left);
                tryAddBigram(left, next[left]);
            }
            for (int i = offset.length == 0 ? -1 : 0; i != -1; i = next[i]) {
                emit(text.substring(offset[i], offset[i] + length[i]), out);
            }
        }

        private void tryAddBigram(int left, int right) {
            if (left < 0 || right < 0) {
                return;
            }
            int id = vocabulary.id(text.substring(offset[left], offset[right] + length[right]));
            if (id >= 0) {
                queue.add(new Bigram(vocabulary.score(id), left, right, length[left] + length[right]));
            }
        }

        private void emit(String symbol, IntList out) {
            int id = vocabulary.id(symbol);
            if (id >= 0) {
                out.add(id);
                return;
            }
            byte[] bytes = symbol.getBytes(StandardCharsets.UTF_8);
            for (byte b : bytes) {
                if (byteTokens[b & 0xFF] < 0) {
                    out.add(unknownToken(symbol));
                    return;
                }
            }
            for (byte b : bytes) {
                out.add(byteTokens[b & 0xFF]);
            }
        }

        private int unknownToken(String symbol) {
            if (vocabulary.unk() < 0) {
                throw new IllegalArgumentException(("cannot encode '%s': the vocabulary has neither byte-fallback "
                        + "tokens nor an unknown token").formatted(symbol));
            }
            return vocabulary.unk();
        }
    }
}
