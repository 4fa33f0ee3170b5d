package dev.hanul.engine.sampling.json;

/**
 * Recognizes prefixes of one JSON object (RFC 8259), one byte of UTF-8 at a time: a pushdown automaton whose whole
 * state (the stack of open containers and the lexer's mode) packs into one {@code long}, so that a token can be
 * tested from any state by {@link #reset resetting} a scratch recognizer rather than copying one.
 *
 * <p>It accepts objects, arrays, strings with every escape ({@code \\uXXXX} included), numbers, {@code true},
 * {@code false} and {@code null}, and whitespace, with two limits a generator needs and a parser does not: at most
 * {@value #MAX_WHITESPACE_RUN} whitespace bytes in a row (a model cannot stall on blanks, and can still indent a
 * few levels) and at most {@value #MAX_DEPTH} nested containers (RFC 8259 section 9 lets a parser limit depth). Text
 * inside strings must be well-formed UTF-8 in its byte structure (lead bytes followed by their continuation bytes), so
 * byte-level tokens holding part of a character are accepted as long as the character can still be completed. Once
 * the object closes the recognizer is {@link #complete()} and accepts nothing more, not even whitespace.
 */
public final class JsonRecognizer {

    /** At most this many whitespace bytes in a row. */
    public static final int MAX_WHITESPACE_RUN = 6;
    /** At most this many containers open at once: the stack is one bit per container in the packed state. */
    public static final int MAX_DEPTH = 32;

    /** The state before anything was read. */
    public static final long START = 0;
    /** What {@link #advance} returns when the bytes cannot continue the text. */
    public static final long INVALID = -1;

    // Structural modes: what may come next outside a string, number or literal (whitespace allowed in each but DONE).
    private static final int BEFORE_OBJECT = 0;
    private static final int OBJECT_FIRST = 1;
    private static final int KEY = 2;
    private static final int COLON = 3;
    private static final int VALUE = 4;
    private static final int ARRAY_FIRST = 5;
    private static final int AFTER_VALUE = 6;
    private static final int DONE = 7;
    // Lexer modes.
    private static final int STRING = 8;
    private static final int ESCAPE = 9;
    private static final int UNICODE = 10;
    private static final int LITERAL = 11;
    private static final int MINUS = 12;
    private static final int ZERO = 13;
    private static final int INTEGER = 14;
    private static final int DOT = 15;
    private static final int FRACTION = 16;
    private static final int EXPONENT_MARK = 17;
    private static final int EXPONENT_SIGN = 18;
    private static final int EXPONENT = 19;

    private static final byte[][] LITERALS = {"true".getBytes(), "false".getBytes(), "null".getBytes()};

    /** Bit i set: the container at depth i + 1 is an object, else an array. Bits at and above depth are clear. */
    private int containers;
    private int depth;
    private int mode;
    /**
     * By mode: whitespace bytes in a row (structural modes), continuation bytes still due (STRING), hex digits read
     * (UNICODE), literal index * 8 + bytes matched (LITERAL); 0 otherwise, so equal states pack equally.
     */
    private int count;
    /** Whether the string being read is a key (false outside strings). */
    private boolean key;

    /** The recognizer at {@code state}, a value from {@link #state()} or {@link #START}. */
    public JsonRecognizer reset(long state) {
        containers = (int) (state >>> 32);
        depth = (int) (state & 0x3F);
        mode = (int) (state >>> 6 & 0x1F);
        count = (int) (state >>> 11 & 0xFF);
        key = (state >>> 19 & 1) != 0;
        return this;
    }

    /** The whole state in one value: equal states, equal values. */
    public long state() {
        return (long) containers << 32 | (key ? 1L : 0L) << 19 | (long) count << 11 | (long) mode << 6 | depth;
    }

    /** The state after {@code bytes} from {@code state}, or {@link #INVALID} when they cannot continue the text. */
    public long advance(long state, byte[] bytes) {
        reset(state);
        for (byte b : bytes) {
            if (!accept(b & 0xFF)) {
                return INVALID;
            }
        }
        return state();
    }

    /** Whether the text so far is one whole JSON object. */
    public boolean complete() {
        return mode == DONE;
    }

    /** Whether the byte (0 to 255) continues a valid prefix; after false the state is undefined. */
    public boolean accept(int b) {
        return switch (mode) {
            case STRING -> string(b);
            case ESCAPE -> escape(b);
            case UNICODE -> unicode(b);
            case LITERAL -> literal(b);
            case MINUS -> b == '0' ? to(ZERO) : isDigit(b) && to(INTEGER);
            case ZERO -> b == '.' ? to(DOT) : b == 'e' || b == 'E' ? to(EXPONENT_MARK) : endNumber(b);
            case INTEGER -> isDigit(b) || (b == '.' ? to(DOT) : b == 'e' || b == 'E' ? to(EXPONENT_MARK)
                    : endNumber(b));
            case DOT -> isDigit(b) && to(FRACTION);
            case FRACTION -> isDigit(b) || (b == 'e' || b == 'E' ? to(EXPONENT_MARK) : endNumber(b));
            case EXPONENT_MARK -> b == '+' || b == '-' ? to(EXPONENT_SIGN) : isDigit(b) && to(EXPONENT);
            case EXPONENT_SIGN -> isDigit(b) && to(EXPONENT);
            case EXPONENT -> isDigit(b) || endNumber(b);
            default -> structural(b);
        };
    }

    private boolean structural(int b) {
        if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
            if (mode == DONE || count >= MAX_WHITESPACE_RUN) {
                return false;
            }
            count++;
            return true;
        }
        return switch (mode) {
            case BEFORE_OBJECT -> b == '{' && open(true);
            case OBJECT_FIRST -> b == '"' ? startString(true) : b == '}' && close();
            case KEY -> b == '"' && startString(true);
            case COLON -> b == ':' && to(VALUE);
            case ARRAY_FIRST -> b == ']' ? close() : value(b);
            case VALUE -> value(b);
            case AFTER_VALUE -> afterValue(b);
            default -> false;
        };
    }

    private boolean value(int b) {
        return switch (b) {
            case '{' -> open(true);
            case '[' -> open(false);
            case '"' -> startString(false);
            case '-' -> to(MINUS);
            case '0' -> to(ZERO);
            case 't' -> startLiteral(0);
            case 'f' -> startLiteral(1);
            case 'n' -> startLiteral(2);
            default -> isDigit(b) && to(INTEGER);
        };
    }

    private boolean afterValue(int b) {
        boolean inObject = (containers >>> (depth - 1) & 1) != 0;
        return switch (b) {
            case ',' -> to(inObject ? KEY : VALUE);
            case '}' -> inObject && close();
            case ']' -> !inObject && close();
            default -> false;
        };
    }

    private boolean open(boolean object) {
        if (depth == MAX_DEPTH) {
            return false;
        }
        if (object) {
            containers |= 1 << depth;
        }
        depth++;
        return to(object ? OBJECT_FIRST : ARRAY_FIRST);
    }

    private boolean close() {
        depth--;
        containers &= ~(1 << depth);
        return valueEnded();
    }

    private boolean valueEnded() {
        return to(depth == 0 ? DONE : AFTER_VALUE);
    }

    /** A number ends at the first byte that cannot continue it; that byte is read as what follows the value. */
    private boolean endNumber(int b) {
        valueEnded();
        return structural(b);
    }

    private boolean startString(boolean isKey) {
        key = isKey;
        return to(STRING);
    }

    private boolean string(int b) {
        if (count > 0) {
            if ((b & 0xC0) != 0x80) {
                return false;
            }
            count--;
            return true;
        }
        if (b == '"') {
            boolean wasKey = key;
            key = false;
            return wasKey ? to(COLON) : valueEnded();
        }
        if (b == '\\') {
            return to(ESCAPE);
        }
        if (b < 0x20) {
            return false;
        }
        if (b < 0x80) {
            return true;
        }
        // A lead byte announces its continuation bytes; a stray continuation byte or F5..FF is never UTF-8.
        count = b >= 0xC2 && b <= 0xDF ? 1 : b >= 0xE0 && b <= 0xEF ? 2 : b >= 0xF0 && b <= 0xF4 ? 3 : -1;
        return count > 0;
    }

    private boolean escape(int b) {
        return switch (b) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> to(STRING);
            case 'u' -> to(UNICODE);
            default -> false;
        };
    }

    private boolean unicode(int b) {
        if (!(isDigit(b) || b >= 'a' && b <= 'f' || b >= 'A' && b <= 'F')) {
            return false;
        }
        if (++count == 4) {
            return to(STRING);
        }
        return true;
    }

    private boolean startLiteral(int index) {
        to(LITERAL);
        count = index * 8 + 1;
        return true;
    }

    private boolean literal(int b) {
        byte[] literal = LITERALS[count / 8];
        int matched = count % 8;
        if (b != literal[matched]) {
            return false;
        }
        if (matched + 1 == literal.length) {
            return valueEnded();
        }
        count++;
        return true;
    }

    private boolean to(int next) {
        mode = next;
        count = 0;
        return true;
    }

    private static boolean isDigit(int b) {
        return b >= '0' && b <= '9';
    }
}
