package dev.hanul.cli;

import java.io.PrintWriter;

/** A one-line progress bar on the terminal, redrawn at most once per percent. */
final class ProgressBar {

    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final String label;
    private long lastPercent = -1;
    private long lastMegabytes = -1;

    ProgressBar(PrintWriter out, String label) {
        this.out = out;
        this.label = label;
    }

    void update(long done, long total) {
        if (total > 0) {
            long percent = done * 100 / total;
            if (percent != lastPercent) {
                lastPercent = percent;
                int filled = (int) (percent * WIDTH / 100);
                out.printf("\r%s [%s%s] %3d%% %,d / %,d MB", label, "#".repeat(filled), ".".repeat(WIDTH - filled),
                        percent, done >> 20, total >> 20);
                out.flush();
            }
        } else if (done >> 20 != lastMegabytes) {
            lastMegabytes = done >> 20;
            out.printf("\r%s %,d MB", label, lastMegabytes);
            out.flush();
        }
    }

    void done() {
        out.println();
        out.flush();
    }
}
