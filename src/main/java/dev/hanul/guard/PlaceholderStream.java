package dev.hanul.guard;

/**
 * Restores placeholders in an answer that arrives in pieces: a placeholder may be split across tokens
 * ({@code "[EM"}, {@code "AIL_1]"}), so text from an unclosed '[' is held back until it is either a whole
 * placeholder or clearly none (a ']' or more characters than the longest placeholder), and released at the end.
 */
final class PlaceholderStream {

    private final PiiVault vault;
    private final StringBuilder held = new StringBuilder();

    PlaceholderStream(PiiVault vault) {
        this.vault = vault;
    }

    /** What may be sent now, restored; the rest is held. */
    String accept(String piece) {
        held.append(piece);
        int open = held.lastIndexOf("[");
        if (open >= 0 && held.indexOf("]", open) < 0 && held.length() - open < PiiVault.LONGEST) {
            String ready = held.substring(0, open);
            held.delete(0, open);
            return vault.restore(ready);
        }
        String ready = held.toString();
        held.setLength(0);
        return vault.restore(ready);
    }

    /** Whatever is still held, at the end of the answer. */
    String flush() {
        String rest = held.toString();
        held.setLength(0);
        return vault.restore(rest);
    }
}
