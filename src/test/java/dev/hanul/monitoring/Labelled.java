package dev.hanul.monitoring;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A labelled set committed under src/test/resources/monitoring: label, a tab, the text; # for comments. */
record Labelled(String label, String text) {

    static List<Labelled> read(String resource) {
        try (InputStream in = Labelled.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> {
                        int tab = line.indexOf('\t');
                        return new Labelled(line.substring(0, tab), line.substring(tab + 1));
                    }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The area under the ROC curve: the chance that a random positive scores above a random negative. */
    static double auroc(List<Double> positives, List<Double> negatives) {
        double wins = 0;
        for (double p : positives) {
            for (double n : negatives) {
                wins += p > n ? 1 : p == n ? 0.5 : 0;
            }
        }
        return wins / ((double) positives.size() * negatives.size());
    }
}
