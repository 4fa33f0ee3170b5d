package dev.hanul.engine.sampling;

import java.util.List;

/**
 * Finds stop strings in streamed text, even when one is split across tokens. Text that could still be the start of
 * a stop string is held back until the next delta decides it, so a stop string never reaches the caller.
 */
public final class StopStrings {

    private final List<String> stops;
    private final int holdBack;
    private final StringBuilder pending = new StringBuilder();
    private String matched;

    public StopStrings(List<String> stops) {
        this.stops = stops;
        this.holdBack = stops.stream().mapToInt(String::length).max().orElse(1) - 1;
    }

    /** Adds generated text; returns the part that is safe to emit now. */
    public String push(String delta) {
        if (matched != null) {
            return "";
        }
        pending.append(delta);
        int earliest = -1;
        for (String stop : stops) {
            int at = pending.indexOf(stop);
            if (at >= 0 && (earliest < 0 || at < earliest)) {
                earliest = at;
                matched = stop;
            }
        }
        if (earliest >= 0) {
            String out = pending.substring(0, earliest);
            pending.setLength(0);
            return out;
        }
        int safe = Math.max(0, pending.length() - holdBack);
        if (safe > 0 && Character.isHighSurrogate(pending.charAt(safe - 1))) {
            safe--; // never split a surrogate pair between two deltas
        }
        String out = pending.substring(0, safe);
        pending.delete(0, safe);
        return out;
    }

    /** Whether a stop string was found. */
    public boolean stopped() {
        return matched != null;
    }

    /**
     * The stop string that was found, null while none was. When several end in the same delta, the one that starts
     * first (at the same start, the first in the request's order).
     */
    public String matched() {
        return matched;
    }

    /** The held-back text, at the end of generation. */
    public String flush() {
        String out = stopped() ? "" : pending.toString();
        pending.setLength(0);
        return out;
    }
}
