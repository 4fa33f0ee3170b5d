package dev.hanul.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Versions reserve weights and KV cache within the budget; what does not fit is refused with the numbers. */
class MemoryBudgetTest {

    @Test
    void aLoadThatDoesNotFitIsRefusedWithTheNumbers() {
        var budget = new MemoryBudget(100_000_000);
        budget.reserve("a@1", 60_000_000, "weights + KV");

        assertThatThrownBy(() -> budget.reserve("b@1", 50_000_000, "weights 10.0 MB + KV cache 40.0 MB"))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("409")
                .hasMessageContaining("b@1 needs 50.0 MB (weights 10.0 MB + KV cache 40.0 MB)")
                .hasMessageContaining("only 40.0 MB of the memory budget of 100.0 MB are free")
                .hasMessageContaining("[a@1]")
                .hasMessageContaining("hanul.registry.memory-budget");
        assertThat(budget.used()).isEqualTo(60_000_000);
    }

    @Test
    void unloadingGivesTheMemoryBack() {
        var budget = new MemoryBudget(100_000_000);
        budget.reserve("a@1", 60_000_000, "a");
        budget.release("a@1");
        budget.reserve("b@1", 90_000_000, "b");
        assertThat(budget.used()).isEqualTo(90_000_000);
        assertThat(budget.reservedBy("b@1")).isEqualTo(90_000_000);
        assertThat(budget.reservedBy("a@1")).isZero();
    }
}
