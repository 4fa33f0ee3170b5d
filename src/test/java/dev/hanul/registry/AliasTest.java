package dev.hanul.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How an alias picks a version: by weight, the same version for the same key, and its stored form. */
class AliasTest {

    private final Alias canary = new Alias("default", List.of(new Alias.Target("m@1", 90),
            new Alias.Target("m@2", 10)), null);

    @Test
    void aKeyAlwaysLandsOnTheSameVersion() {
        for (int i = 0; i < 1000; i++) {
            String key = "conversation-" + i;
            String first = canary.pick(key);
            for (int again = 0; again < 5; again++) {
                assertThat(canary.pick(key)).isEqualTo(first);
            }
        }
    }

    @Test
    void keysSpreadByWeightWithinThreeSigma() {
        int n = 10_000;
        int onCanary = 0;
        for (int i = 0; i < n; i++) {
            if (canary.pick("user-" + i).equals("m@2")) {
                onCanary++;
            }
        }
        double sigma = Math.sqrt(n * 0.1 * 0.9);
        assertThat((double) onCanary).isBetween(n * 0.1 - 3 * sigma, n * 0.1 + 3 * sigma);
    }

    @Test
    void withoutAKeyEachRequestIsDrawnAnew() {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            counts.merge(canary.pick(null), 1, Integer::sum);
        }
        assertThat(counts).containsOnlyKeys("m@1", "m@2");
        assertThat(counts.get("m@2")).isBetween(200 - 3 * 14, 200 + 3 * 14);
    }

    @Test
    void storedFormRoundTrips() {
        assertThat(canary.targetsText()).isEqualTo("m@1=90,m@2=10");
        assertThat(Alias.parseTargets(canary.targetsText())).isEqualTo(canary.targets());
        var single = new Alias("default", List.of(new Alias.Target("m@3", 100)), null);
        assertThat(single.targetsText()).isEqualTo("m@3");
        assertThat(Alias.parseTargets("m@3")).containsExactly(new Alias.Target("m@3", 100));
    }

    @Test
    void anAliasNeedsATarget() {
        assertThatThrownBy(() -> new Alias("default", List.of(), null)).isInstanceOf(IllegalArgumentException.class);
    }
}
