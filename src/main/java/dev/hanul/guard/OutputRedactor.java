package dev.hanul.guard;

import dev.hanul.monitoring.PiiFinder;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Redacts personal data the model writes itself (not the user's own values, which come back through their
 * placeholders) from an answer that arrives in pieces. A value may be split across tokens and may still grow
 * ({@code "010-1234-"} → {@code "010-1234-5678"}), so text that could begin one is held back: the word still being
 * written, and from the first word within the last {@value #LOOKAHEAD} characters that holds a digit or an '@' or
 * ends like a Korean district or city (시, 도, 구, 군), where every e-mail, phone, card, SSN, RRN and address
 * {@link PiiFinder} knows begins. Text is released once every match that could still change lies behind it, each
 * match replaced by {@code [KIND]} (e.g. {@code [EMAIL]}; without a number, so the placeholder restorer leaves it
 * alone). Plain prose thus streams a word at a time; only around numbers does the stream run up to
 * {@value #LOOKAHEAD} characters behind the model, and only for tenants whose PII policy is redact.
 */
final class OutputRedactor {

    /** Longer than any e-mail, phone, card, SSN or RRN, and than most street addresses. */
    static final int LOOKAHEAD = 64;
    private static final Pattern WORD = Pattern.compile("\\S+");
    private static final Pattern MAY_BEGIN_PII = Pattern.compile("[\\d@]|[가-힣](?:시|도|구|군)$");

    private final PiiFinder finder;
    private final StringBuilder held = new StringBuilder();
    private final Set<String> kinds = new TreeSet<>();
    private int redacted;

    OutputRedactor(PiiFinder finder) {
        this.finder = finder;
    }

    /** What may be sent now, redacted; the rest is held. */
    String accept(String piece) {
        held.append(piece);
        int cut = settledEnd();
        if (cut == 0) {
            return "";
        }
        List<PiiFinder.Found> found = finder.find(held.toString());
        for (PiiFinder.Found f : found) {
            if (f.start() < cut && f.end() > cut) {
                cut = f.start();
            }
        }
        return release(cut, found);
    }

    /** Where the text that could still begin or grow into personal data starts. */
    private int settledEnd() {
        int window = Math.max(0, held.length() - LOOKAHEAD);
        Matcher word = WORD.matcher(held);
        while (word.find()) {
            if (word.end() == held.length()
                    || word.end() > window && MAY_BEGIN_PII.matcher(word.group()).find()) {
                return word.start();
            }
        }
        return held.length();
    }

    /** Whatever is still held, redacted, at the end of the answer. */
    String flush() {
        return release(held.length(), finder.find(held.toString()));
    }

    /** How many values were redacted so far. */
    int redacted() {
        return redacted;
    }

    /** Their kinds, comma-separated ("EMAIL,PHONE"). */
    String kinds() {
        return String.join(",", kinds);
    }

    private String release(int cut, List<PiiFinder.Found> found) {
        var out = new StringBuilder(cut + 16);
        int at = 0;
        for (PiiFinder.Found f : found) {
            if (f.start() < at || f.end() > cut) {
                continue;
            }
            out.append(held, at, f.start()).append('[').append(f.kind().name()).append(']');
            kinds.add(f.kind().name());
            redacted++;
            at = f.end();
        }
        out.append(held, at, cut);
        held.delete(0, cut);
        return out.toString();
    }
}
