package dev.hanul.engine.sampling.json;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicAutomata;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles a regular expression in the common syntax (Python's re, JavaScript, vLLM's guided_regex) into an automaton
 * over UTF-8 bytes that accepts exactly the texts the regex matches in full. Supported: literals (any Unicode),
 * {@code .} (any character but a newline), classes {@code [...]} and {@code [^...]} with ranges, {@code \d \w \s} and
 * their negations, escapes ({@code \n \t \r \f \v \0 \xHH \\uHHHH} and escaped punctuation), groups {@code (...)},
 * {@code (?:...)} and named groups, alternation, and the quantifiers {@code * + ? {n} {n,} {n,m}} (lazy and possessive
 * suffixes read as greedy: a full match does not depend on them). {@code ^} at the start and {@code $} at the end are
 * accepted and change nothing. Backreferences, lookaround and anchors elsewhere have no automaton and are refused with
 * an {@link IllegalArgumentException} that names them.
 */
final class RegexCompiler {

    private static final int MAX_REPEAT = 1000;

    private final String pattern;
    private int position;

    private RegexCompiler(String pattern) {
        this.pattern = pattern;
    }

    static Automaton compile(String regex) {
        RegexCompiler compiler = new RegexCompiler(regex);
        if (compiler.peekIs('^')) {
            compiler.position++;
        }
        Automaton result = compiler.alternation();
        if (compiler.position < regex.length()) {
            throw compiler.error("unbalanced ')'");
        }
        return result;
    }

    private Automaton alternation() {
        List<Automaton> branches = new ArrayList<>();
        branches.add(sequence());
        while (peekIs('|')) {
            position++;
            branches.add(sequence());
        }
        return branches.size() == 1 ? branches.getFirst() : Automaton.union(branches);
    }

    private Automaton sequence() {
        List<Automaton> items = new ArrayList<>();
        while (position < pattern.length() && !peekIs('|') && !peekIs(')')) {
            if (peekIs('$') && position == pattern.length() - 1) {
                position++;
                break;
            }
            items.add(quantified(atom()));
        }
        return items.isEmpty() ? BasicAutomata.makeEmptyString() : Automaton.concatenate(items);
    }

    private Automaton quantified(Automaton atom) {
        while (position < pattern.length()) {
            char c = pattern.charAt(position);
            Automaton next;
            if (c == '*') {
                position++;
                next = atom.repeat();
            } else if (c == '+') {
                position++;
                next = atom.repeat(1);
            } else if (c == '?') {
                position++;
                next = atom.optional();
            } else if (c == '{' && isCount()) {
                position++;
                int min = number();
                int max = min;
                if (peekIs(',')) {
                    position++;
                    max = peekIs('}') ? -1 : number();
                }
                expect('}');
                if (max != -1 && max < min || Math.max(min, max) > MAX_REPEAT) {
                    throw error("repetition {%d,%d} must have min <= max <= %d".formatted(min, max, MAX_REPEAT));
                }
                next = max == -1 ? atom.repeat(min) : atom.repeat(min, max);
            } else {
                return atom;
            }
            // A lazy or possessive suffix changes which match a search finds, not whether a whole text matches.
            if (peekIs('?') || peekIs('+')) {
                position++;
            }
            atom = next;
        }
        return atom;
    }

    private boolean isCount() {
        int i = position + 1;
        int digits = 0;
        while (i < pattern.length() && Character.isDigit(pattern.charAt(i))) {
            i++;
            digits++;
        }
        return digits > 0 && i < pattern.length() && (pattern.charAt(i) == '}' || pattern.charAt(i) == ',');
    }

    private int number() {
        int start = position;
        while (position < pattern.length() && Character.isDigit(pattern.charAt(position))) {
            position++;
        }
        if (start == position) {
            throw error("a number was expected");
        }
        return Integer.parseInt(pattern.substring(start, position));
    }

    private Automaton atom() {
        int c = pattern.codePointAt(position);
        switch (c) {
            case '(' -> {
                position++;
                if (peekIs('?')) {
                    groupPrefix();
                }
                Automaton inner = alternation();
                expect(')');
                return inner;
            }
            case '[' -> {
                return characterClass();
            }
            case '.' -> {
                position++;
                return Utf8Automata.anyCharacter().minus(BasicAutomata.makeChar('\n'));
            }
            case '\\' -> {
                return escape(false).automaton();
            }
            case '*', '+', '?', '{' -> throw error("nothing to repeat");
            case '^', '$' -> throw error("anchors inside the pattern are not supported (the whole output must match)");
            default -> {
                position += Character.charCount(c);
                return Utf8Automata.literal(Character.toString(c));
            }
        }
    }

    private void groupPrefix() {
        position++;
        if (peekIs(':')) {
            position++;
        } else if (peekIs('P') && position + 1 < pattern.length() && pattern.charAt(position + 1) == '<'
                || peekIs('<') && position + 1 < pattern.length() && Character.isLetter(pattern.charAt(position + 1))) {
            int close = pattern.indexOf('>', position);
            if (close < 0) {
                throw error("unterminated group name");
            }
            position = close + 1;
        } else {
            throw error("lookaround and inline flags '(?" + (position < pattern.length() ? pattern.charAt(position) : "")
                    + "' are not supported");
        }
    }

    /** One item of a class or an escape outside one: either a set of characters or one code point. */
    private record Item(Automaton automaton, int codePoint) {
    }

    private Item escape(boolean inClass) {
        position++;
        if (position >= pattern.length()) {
            throw error("the pattern ends with a lone backslash");
        }
        char c = pattern.charAt(position++);
        return switch (c) {
            case 'd' -> set(digits());
            case 'D' -> set(negate(digits()));
            case 'w' -> set(word());
            case 'W' -> set(negate(word()));
            case 's' -> set(space());
            case 'S' -> set(negate(space()));
            case 'n' -> single('\n');
            case 't' -> single('\t');
            case 'r' -> single('\r');
            case 'f' -> single('\f');
            case 'v' -> single(0x0B);
            case '0' -> single(0);
            case 'b' -> {
                if (inClass) {
                    yield single('\b');
                }
                throw error("word boundaries (\\b) are not supported");
            }
            case 'x' -> single(hex(2));
            case 'u' -> single(hex(4));
            default -> {
                if (Character.isLetterOrDigit(c)) {
                    throw error("the escape \\" + c + " is not supported (backreferences and anchors have no automaton)");
                }
                yield single(c);
            }
        };
    }

    private int hex(int digits) {
        if (position + digits > pattern.length()) {
            throw error("a hexadecimal escape needs " + digits + " digits");
        }
        int value = Integer.parseInt(pattern.substring(position, position + digits), 16);
        position += digits;
        return value;
    }

    private static Item set(Automaton automaton) {
        return new Item(automaton, -1);
    }

    private static Item single(int codePoint) {
        return new Item(Utf8Automata.codePoints(codePoint, codePoint), codePoint);
    }

    private Automaton characterClass() {
        position++;
        boolean negated = peekIs('^');
        if (negated) {
            position++;
        }
        List<Automaton> members = new ArrayList<>();
        boolean first = true;
        while (position < pattern.length() && (first || !peekIs(']'))) {
            first = false;
            Item item = classItem();
            if (item.codePoint() >= 0 && peekIs('-') && position + 1 < pattern.length()
                    && pattern.charAt(position + 1) != ']') {
                position++;
                Item end = classItem();
                if (end.codePoint() < item.codePoint()) {
                    throw error("the class range ends before it starts");
                }
                members.add(Utf8Automata.codePoints(item.codePoint(), end.codePoint()));
            } else {
                members.add(item.automaton());
            }
        }
        expect(']');
        Automaton union = Automaton.union(members);
        return negated ? negate(union) : union;
    }

    private Item classItem() {
        if (peekIs('\\')) {
            return escape(true);
        }
        int c = pattern.codePointAt(position);
        position += Character.charCount(c);
        return single(c);
    }

    private static Automaton negate(Automaton characters) {
        return Utf8Automata.anyCharacter().minus(characters);
    }

    private static Automaton digits() {
        return Utf8Automata.byteRange('0', '9');
    }

    private static Automaton word() {
        return Automaton.union(List.of(Utf8Automata.byteRange('a', 'z'), Utf8Automata.byteRange('A', 'Z'),
                digits(), BasicAutomata.makeChar('_')));
    }

    private static Automaton space() {
        return BasicAutomata.makeCharSet(" \t\n\r\f\u000B");
    }

    private boolean peekIs(char c) {
        return position < pattern.length() && pattern.charAt(position) == c;
    }

    private void expect(char c) {
        if (!peekIs(c)) {
            throw error("'" + c + "' expected");
        }
        position++;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("regex %s: %s at position %d".formatted(quote(pattern), what, position));
    }

    private static String quote(String s) {
        return '"' + s + '"';
    }
}
