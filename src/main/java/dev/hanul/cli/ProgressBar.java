package dev.hanul.cli;

import java.io.PrintWriter;

/** A one-line progress bar on the terminal, redrawn at most once per percent. */
final class ProgressBar {

    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final String label;
    private final String unit;
    private final int shift;
    private long lastPercent = -1;
    private long lastUnits = -1;

    /** A bar counting {@code unit}s of {@code 2^shift} each: ("MB", 20) for bytes, ("documents", 0) for a count. */
    ProgressBar(PrintWriter out, String label, String unit, int shift) {
        this.out = out;
        this.label = label;
        this.unit = unit;
        this.shift = shift;
    }

    void update(long done, long total) {
        if (total > 0) {
            long percent = done * 100 / total;
            if (percent != lastPercent) {
                lastPercent = percent;
                int filled = (int) (percent * WIDTH / 100);
                out.printf("\r%s [%s%s] %3d%% %,d / %,d %s", label, "#".repeat(filled), ".".repeat(WIDTH - filled),
                        percent, done >> shift, total >> shift, unit);
                out.flush();
            }
        } else if (done >> shift != lastUnits) {
            lastUnits = done >> shift;
            out.printf("\r%s %,d %s", label, lastUnits, unit);
            out.flush();
        }
    }

    void done() {
        out.println();
        out.flush();
    }
}
