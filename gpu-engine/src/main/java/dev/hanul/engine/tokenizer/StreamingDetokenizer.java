package dev.hanul.engine.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Turns generated tokens into text as they arrive, for one sequence. A token may end in the middle of a UTF-8
 * character (byte-fallback and byte-level tokens carry single bytes: an emoji can take four tokens), so the bytes of
 * an unfinished character are held back until the token that completes it. Not thread-safe.
 *
 * <p>With a space-prefixing (SentencePiece) vocabulary, the first piece of text drops its leading space, as llama2.c
 * and llama.cpp do: the tokenizer added that space when encoding, so generating from BOS yields "Once upon a time",
 * not " Once upon a time".
 */
public final class StreamingDetokenizer {

    private final IntFunction<byte[]> pieces;
    private final boolean stripFirstSpace;
    private byte[] pending = new byte[16];
    private int pendingLength;
    private boolean atStart = true;

    StreamingDetokenizer(IntFunction<byte[]> pieces, boolean stripFirstSpace) {
        this.pieces = pieces;
        this.stripFirstSpace = stripFirstSpace;
    }

    /** The text that the token completes; empty while a character is unfinished or for tokens that render nothing. */
    public String push(int tokenId) {
        byte[] piece = pieces.apply(tokenId);
        if (piece.length == 0) {
            return "";
        }
        int from = 0;
        if (atStart) {
            atStart = false;
            if (stripFirstSpace && piece[0] == ' ') {
                from = 1;
            }
        }
        append(piece, from);
        return take(completeLength());
    }

    /** Whatever is still held back, with an unfinished character shown as U+FFFD; call when the sequence ends. */
    public String flush() {
        return take(pendingLength);
    }

    private void append(byte[] piece, int from) {
        int length = piece.length - from;
        if (pendingLength + length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + length));
        }
        System.arraycopy(piece, from, pending, pendingLength, length);
        pendingLength += length;
    }

    /**
     * How many pending bytes form whole characters: all of them, unless the last lead byte (looked for among the last
     * three bytes) still waits for continuation bytes. Bytes that can never complete are not held: the decoder turns
     * them into U+FFFD.
     */
    private int completeLength() {
        for (int i = pendingLength - 1; i >= Math.max(0, pendingLength - 3); i--) {
            int b = pending[i] & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue;
            }
            int needed = b >= 0xF0 && b <= 0xF7 ? 4 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xC0 && b <= 0xDF ? 2 : 1;
            return needed > pendingLength - i ? i : pendingLength;
        }
        return pendingLength;
    }

    private String take(int length) {
        if (length == 0) {
            return "";
        }
        String text = new String(pending, 0, length, StandardCharsets.UTF_8);
        System.arraycopy(pending, length, pending, 0, pendingLength - length);
        pendingLength -= length;
        return text;
    }
}
