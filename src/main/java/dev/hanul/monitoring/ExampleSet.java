package dev.hanul.monitoring;

import dev.hanul.embedding.Embedder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A curated set of example texts shipped as a resource (one a line, {@code #} for comments that name its source),
 * embedded once, and the highest cosine of a text's embedding to any of them.
 */
final class ExampleSet {

    private final List<String> examples;
    private final List<float[]> embeddings;

    ExampleSet(String resource, Embedder embedder) {
        this.examples = read(resource);
        this.embeddings = embedder.embed(examples);
    }

    static List<String> read(String resource) {
        try (InputStream in = ExampleSet.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    double maxSimilarity(float[] embedding) {
        double best = -1;
        for (float[] example : embeddings) {
            best = Math.max(best, cosine(example, embedding));
        }
        return best;
    }

    int size() {
        return examples.size();
    }

    static double cosine(float[] a, float[] b) {
        double dot = DriftMonitor.dot(a, b);
        double norms = Math.sqrt(DriftMonitor.dot(a, a) * DriftMonitor.dot(b, b));
        return norms == 0 ? 0 : dot / norms;
    }
}
