package dev.hanul.monitoring;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A line of a labelled set committed under src/test/resources (the monitoring's and the guardrails' measurements):
 * label, a tab, the text; # starts a comment line.
 */
public record LabelledSet(String label, String text) {

    public static List<LabelledSet> read(String resource) {
        try (InputStream in = LabelledSet.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> {
                        int tab = line.indexOf('\t');
                        return new LabelledSet(line.substring(0, tab), line.substring(tab + 1));
                    }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Label "1": the attack, the toxic text, the positive class. */
    public boolean positive() {
        return label.equals("1");
    }

    /** The area under the ROC curve: the chance that a random positive scores above a random negative. */
    public static double auroc(List<Double> positives, List<Double> negatives) {
        double wins = 0;
        for (double p : positives) {
            for (double n : negatives) {
                wins += p > n ? 1 : p == n ? 0.5 : 0;
            }
        }
        return wins / ((double) positives.size() * negatives.size());
    }
}
