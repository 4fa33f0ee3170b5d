package dev.hanul.engine.sampling.json;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicAutomata;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Automata over bytes: each automaton symbol is one byte of UTF-8 (the chars 0 to 255), because model tokens are
 * byte strings that may hold part of a character. These build the pieces that regexes and JSON schemas are made of.
 */
final class Utf8Automata {

    private static final Automaton CONTINUATION = BasicAutomata.makeCharRange((char) 0x80, (char) 0xBF);

    private Utf8Automata() {
    }

    /** The bytes of {@code text} in UTF-8, as a sequence of byte symbols. */
    static Automaton literal(String text) {
        return BasicAutomata.makeString(byteString(text));
    }

    /** The UTF-8 bytes of {@code text}, one char per byte. */
    static String byteString(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chars[i] = (char) (bytes[i] & 0xFF);
        }
        return new String(chars);
    }

    static Automaton byteRange(int from, int to) {
        return BasicAutomata.makeCharRange((char) from, (char) to);
    }

    /** Any one character in UTF-8 (its byte structure: a lead byte and its continuation bytes). */
    static Automaton anyCharacter() {
        return Automaton.union(List.of(
                byteRange(0x00, 0x7F),
                byteRange(0xC2, 0xDF).concatenate(CONTINUATION),
                byteRange(0xE0, 0xEF).concatenate(CONTINUATION.repeat(2, 2)),
                byteRange(0xF0, 0xF4).concatenate(CONTINUATION.repeat(3, 3))));
    }

    /** The characters from code point {@code from} to {@code to}, in UTF-8. */
    static Automaton codePoints(int from, int to) {
        if (to < 0x80) {
            return byteRange(from, to);
        }
        if (to - from > 0x30000) {
            throw new IllegalArgumentException("character range U+%04X-U+%04X is too wide for a constraint"
                    .formatted(from, to));
        }
        List<String> encodings = new ArrayList<>(to - from + 1);
        for (int cp = from; cp <= to; cp++) {
            if (cp < 0xD800 || cp > 0xDFFF) {
                encodings.add(byteString(Character.toString(cp)));
            }
        }
        encodings.sort(null);
        return BasicAutomata.makeStringUnion(encodings.toArray(new CharSequence[0]));
    }
}
