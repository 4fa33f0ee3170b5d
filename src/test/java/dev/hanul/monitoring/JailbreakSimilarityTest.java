package dev.hanul.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hanul.embedding.Embedder;
import dev.hanul.embedding.EmbeddingProperties;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Jailbreak similarity (the highest cosine to the shipped reference prompts) separates the committed labelled attack
 * prompts from benign ones, none of which is in the reference set.
 */
class JailbreakSimilarityTest {

    @Test
    void separatesAttacksFromBenignPrompts() {
        try (Embedder embedder = Embedder.load(EmbeddingProperties.bundled())) {
            var references = new ExampleSet("/monitoring/jailbreak-examples.txt", embedder);
            List<LabelledSet> labelled = LabelledSet.read("/monitoring/jailbreak-labelled.tsv");
            List<float[]> embedded = embedder.embed(labelled.stream().map(LabelledSet::text).toList());
            var attacks = new ArrayList<Double>();
            var benign = new ArrayList<Double>();
            for (int i = 0; i < labelled.size(); i++) {
                double score = references.maxSimilarity(embedded.get(i));
                (labelled.get(i).label().equals("1") ? attacks : benign).add(score);
            }
            double auroc = LabelledSet.auroc(attacks, benign);
            System.out.printf("jailbreak similarity: AUROC %.3f (%d attacks, %d benign, %d references)%n", auroc,
                    attacks.size(), benign.size(), references.size());
            assertThat(auroc).isGreaterThanOrEqualTo(0.85);
        }
    }
}
