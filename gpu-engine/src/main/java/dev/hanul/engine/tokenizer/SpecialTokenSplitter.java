package dev.hanul.engine.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Cuts text at the special tokens written in it before the tokenizer's own algorithm runs, as llama.cpp's
 * tokenizer_st_partition does: tokens are tried longest first (by UTF-8 length), each splitting every text fragment
 * left by the longer ones. User-defined tokens are always split out; control and unknown tokens only when asked to.
 * Tokens marked to strip on the right swallow the ASCII whitespace that follows them (llama.cpp's RSTRIP attribute).
 *
 * <p>llama.cpp searches the text for every special token; here a first pass over the text finds which tokens occur at
 * all, so that a vocabulary with thousands of user-defined tokens costs one scan, not thousands.
 */
final class SpecialTokenSplitter {

    /** A piece of the text: characters [start, end) to tokenize, or the special token {@code token} (>= 0). */
    record Fragment(int start, int end, int token) {
        boolean isText() {
            return token < 0;
        }
    }

    private static final BitSet NOWHERE = new BitSet();

    private final String[] texts;
    private final boolean[] userDefined;
    private final boolean[] stripsRight;
    private final int[] longestFirst;
    private final int[] priority; // each candidate's position in longestFirst
    private final BitSet firstChars = new BitSet(1 << 16);
    private final Map<Character, int[]> byFirstChar = new HashMap<>();

    SpecialTokenSplitter(String[] texts, TokenType[] types, boolean[] stripsRight) {
        this.texts = texts;
        this.stripsRight = stripsRight;
        this.userDefined = new boolean[texts.length];
        this.priority = new int[texts.length];
        // equal lengths go by id; llama.cpp's sort leaves their order unspecified
        longestFirst = IntStream.range(0, texts.length).filter(id -> types[id].matchedWhole()).boxed()
                .sorted(Comparator.<Integer>comparingInt(id -> -texts[id].getBytes(StandardCharsets.UTF_8).length)
                        .thenComparingInt(id -> id))
                .mapToInt(Integer::intValue).toArray();
        Map<Character, List<Integer>> lists = new HashMap<>();
        for (int rank = 0; rank < longestFirst.length; rank++) {
            int id = longestFirst[rank];
            priority[id] = rank;
            userDefined[id] = types[id] == TokenType.USER_DEFINED;
            char first = texts[id].charAt(0);
            firstChars.set(first);
            lists.computeIfAbsent(first, c -> new ArrayList<>()).add(id);
        }
        lists.forEach((c, ids) -> byFirstChar.put(c, ids.stream().mapToInt(Integer::intValue).toArray()));
    }

    /**
     * @param plain characters where no special token other than a user-defined one may start (text that is data); a
     *              control token's text found there stays in its text fragment
     */
    List<Fragment> split(String text, boolean parseSpecial, BitSet plain) {
        List<Fragment> fragments = new ArrayList<>();
        if (text.isEmpty()) {
            return fragments;
        }
        fragments.add(new Fragment(0, text.length(), -1));
        for (int id : tokensIn(text, parseSpecial)) {
            fragments = splitAll(text, fragments, id, userDefined[id] ? NOWHERE : plain);
        }
        return fragments;
    }

    /** The texts of the tokens that only special-token parsing splits out (control and unknown tokens). */
    Set<String> controlTexts() {
        return Arrays.stream(longestFirst).filter(id -> !userDefined[id]).mapToObj(id -> texts[id])
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The special tokens that occur in the text, longest first. */
    private int[] tokensIn(String text, boolean parseSpecial) {
        if (byFirstChar.isEmpty()) {
            return new int[0];
        }
        BitSet found = new BitSet();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!firstChars.get(c)) {
                continue;
            }
            for (int id : byFirstChar.get(c)) {
                if ((parseSpecial || userDefined[id]) && text.startsWith(texts[id], i)) {
                    found.set(priority[id]);
                }
            }
        }
        return found.stream().map(rank -> longestFirst[rank]).toArray();
    }

    /** Splits every text fragment at each occurrence of the token, scanning the text once from left to right. */
    private List<Fragment> splitAll(String text, List<Fragment> fragments, int id, BitSet plain) {
        String token = texts[id];
        List<Fragment> result = new ArrayList<>(fragments.size() + 4);
        int next = -1; // the next occurrence at or after the current position, once searched
        for (Fragment fragment : fragments) {
            if (!fragment.isText()) {
                result.add(fragment);
                continue;
            }
            int start = fragment.start();
            while (true) {
                if (next < start) {
                    next = text.indexOf(token, start);
                    // an occurrence that starts in plain text is text: look on past it
                    while (next >= 0 && plain.get(next)) {
                        next = text.indexOf(token, next + 1);
                    }
                    if (next < 0) {
                        next = Integer.MAX_VALUE;
                    }
                }
                if (next == Integer.MAX_VALUE || next + token.length() > fragment.end()) {
                    break;
                }
                if (next > start) {
                    result.add(new Fragment(start, next, -1));
                }
                result.add(new Fragment(next, next + token.length(), id));
                start = next + token.length();
                while (stripsRight[id] && start < fragment.end() && isSpace(text.charAt(start))) {
                    start++;
                }
            }
            if (start < fragment.end()) {
                result.add(new Fragment(start, fragment.end(), -1));
            }
        }
        return result;
    }

    /** C's isspace, which llama.cpp uses for stripping. */
    private static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }
}
