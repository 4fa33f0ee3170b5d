package dev.hanul.split;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StickySplitTest {

    @Test
    void theHashIsStableAcrossProcessesAndReleases() {
        // FNV-1a 64 then SplitMix64's finalizer, computed independently in Python: a change of the hash would move
        // every sticky key to another version on upgrade.
        assertThat(StickySplit.hash("conversation-1")).isEqualTo(0x759df6e77ec5d277L);
        assertThat(StickySplit.hash("")).isEqualTo(0xf52a15e9a9b5e89bL);
    }

    @Test
    void aKeyPicksByItsHashInTheOrderGiven() {
        List<Map.Entry<String, Integer>> split = List.of(Map.entry("a", 3), Map.entry("b", 7));
        for (int i = 0; i < 200; i++) {
            String key = "k" + i;
            String expected = Long.remainderUnsigned(StickySplit.hash(key), 10) < 3 ? "a" : "b";
            assertThat(StickySplit.pick(split, Map.Entry::getValue, key).getKey()).isEqualTo(expected);
        }
    }

    @Test
    void aSingleChoiceIsPickedWhateverItsWeight() {
        assertThat(StickySplit.pick(List.of("only"), choice -> 1, null)).isEqualTo("only");
    }
}
