package dev.hanul.engine.tokenizer;

import dev.hanul.engine.gguf.GgufFile;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-level BPE (tokenizer.ggml.model = "gpt2": GPT-2, SmolLM2, StarCoder, Qwen, Llama 3, DeepSeek), as llama.cpp's
 * llm_tokenizer_bpe. The pre-tokenizer cuts the text into words; each word's UTF-8 bytes start as one symbol each (the
 * vocabulary spells bytes with GPT-2's byte-to-unicode map) and the adjacent pair with the lowest merge rank is merged,
 * repeatedly; ties go to the leftmost pair.
 *
 * <p>Some vocabularies cannot spell every byte (SmolLM2's has no token for the bytes 0x04, 0x06, 0x13, 0x14, 0x16,
 * 0x1D, nor for 0xF1 and 0xF2, which lead the UTF-8 of U+40000 to U+BFFFF). llama.cpp and Hugging Face drop such bytes,
 * so "ig\u0004nore" reaches the model as "ignore" and a character of those planes as stray continuation bytes: the
 * model reads text that no check of the input ever saw. Here a character with a byte the vocabulary cannot spell is
 * encoded as U+FFFD instead, as a UTF-8 decoder treats bytes it cannot read; text without such characters gets
 * llama.cpp's ids exactly.
 */
final class ByteLevelBpeTokenizer extends AbstractTokenizer {

    /** Words repeat (" the", " of", indentation), so each word's ids are remembered, up to this many words. */
    private static final int CACHE_WORDS = 1 << 16;
    private static final int NOT_A_SYMBOL = -2;
    private static final char REPLACEMENT_CHARACTER = '\uFFFD';

    private final PreTokenizer preTokenizer;
    private final BpeMerges merges;
    private final int[] byteTokens;
    /** Whether U+FFFD can stand for an unspellable character; when not, such a character is dropped. */
    private final boolean replacementSpellable;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    private ByteLevelBpeTokenizer(Vocabulary vocabulary, PreTokenizer preTokenizer, String[] merges) {
        super(vocabulary, ByteLevelBpeTokenizer::decodeBytes);
        this.preTokenizer = preTokenizer;
        this.merges = BpeMerges.of(merges, vocabulary);
        this.byteTokens = new int[256];
        for (int b = 0; b < 256; b++) {
            byteTokens[b] = vocabulary.id(String.valueOf(ByteUnicodeMap.charOf(b)));
        }
        this.replacementSpellable = spellable(String.valueOf(REPLACEMENT_CHARACTER).getBytes(StandardCharsets.UTF_8));
    }

    static ByteLevelBpeTokenizer fromGguf(GgufFile gguf) {
        String file = gguf.path().getFileName().toString();
        PreTokenizer preTokenizer = PreTokenizer.named(gguf.getString("tokenizer.ggml.pre", null), file);
        Vocabulary vocabulary = Vocabulary.read(gguf,
                new Vocabulary.Defaults(-1, -1, -1, preTokenizer.addsBos(), false, false));
        return new ByteLevelBpeTokenizer(vocabulary, preTokenizer, gguf.getStringArray("tokenizer.ggml.merges"));
    }

    @Override
    void encodeText(String text, int start, int end, boolean afterSpecial, IntList out) {
        preTokenizer.split(text, start, end, (from, to) -> out.addAll(word(text.substring(from, to))));
    }

    private int[] word(String word) {
        int[] ids = cache.get(word);
        if (ids == null) {
            byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
            ids = merge(spellable(bytes) ? bytes : replacingUnspellable(word));
            // dropping everything at once keeps the bound without LRU bookkeeping on every lookup
            if (cache.size() >= CACHE_WORDS) {
                cache.clear();
            }
            cache.put(word, ids);
        }
        return ids;
    }

    private boolean spellable(byte[] bytes) {
        for (byte b : bytes) {
            if (byteTokens[b & 0xFF] < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The word's bytes with each character the vocabulary cannot spell written as U+FFFD (or left out, when even that
     * cannot be spelled). The pre-tokenizer has already cut the text, so the words are those of the original text.
     */
    private byte[] replacingUnspellable(String word) {
        var replaced = new StringBuilder(word.length());
        word.codePoints().forEach(c -> {
            String character = Character.toString(c);
            if (spellable(character.getBytes(StandardCharsets.UTF_8))) {
                replaced.append(character);
            } else if (replacementSpellable) {
                replaced.append(REPLACEMENT_CHARACTER);
            }
        });
        return replaced.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** BPE over one word's bytes; symbols are token ids in a linked list, the work queue packs (rank, position). */
    private int[] merge(byte[] bytes) {
        if (preTokenizer.ignoreMerges()) {
            int whole = vocabulary.id(ByteUnicodeMap.encode(bytes));
            if (whole >= 0) {
                return new int[] {whole};
            }
        }
        int n = bytes.length;
        int[] symbol = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            symbol[i] = byteTokens[bytes[i] & 0xFF];
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        LongHeap queue = new LongHeap(n);
        for (int i = 0; i + 1 < n; i++) {
            queueBigram(queue, symbol, next, i);
        }
        while (!queue.isEmpty()) {
            long top = queue.poll();
            int rank = (int) (top >>> 32);
            int left = (int) top;
            int right = next[left];
            // ranks name one pair each, so a bigram is stale exactly when its pair's rank changed
            if (right < 0 || merges.rank(symbol[left], symbol[right]) != rank) {
                continue;
            }
            symbol[left] = merges.result(rank);
            symbol[right] = NOT_A_SYMBOL;
            next[left] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = left;
            }
            if (prev[left] >= 0) {
                queueBigram(queue, symbol, next, prev[left]);
            }
            queueBigram(queue, symbol, next, left);
        }
        IntList ids = new IntList(n);
        for (int i = 0; i != -1; i = next[i]) {
            // a byte the vocabulary cannot spell (-1) is dropped, as llama.cpp finds no token for it either
            if (symbol[i] >= 0) {
                ids.add(symbol[i]);
            }
        }
        return ids.toArray();
    }

    private void queueBigram(LongHeap queue, int[] symbol, int[] next, int left) {
        int right = next[left];
        if (right >= 0) {
            int rank = merges.rank(symbol[left], symbol[right]);
            if (rank >= 0) {
                queue.add(((long) rank << 32) | left);
            }
        }
    }

    /**
     * A normal token's text spells bytes with GPT-2's map. A character outside the map stands for itself (llama.cpp
     * writes an "[UNK_BYTE_...]" marker instead; no converter produces such tokens).
     */
    private static byte[] decodeBytes(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        text.codePoints().forEach(c -> {
            int b = c <= Character.MAX_VALUE ? ByteUnicodeMap.byteOf((char) c) : -1;
            if (b >= 0) {
                bytes.write(b);
            } else {
                bytes.writeBytes(Character.toString(c).getBytes(StandardCharsets.UTF_8));
            }
        });
        return bytes.toByteArray();
    }
}
