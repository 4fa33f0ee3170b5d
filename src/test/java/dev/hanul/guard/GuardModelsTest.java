package dev.hanul.guard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The classifiers load on a thread of their own once the service is ready, so that no request waits for them on a
 * server thread; with preloading off they wait for first use. Needs no model file: the injection detector falls
 * back to similarity and the toxicity classifier to "missing", and both count as loaded.
 */
class GuardModelsTest {

    @Test
    void preloadingLoadsTheClassifiersInTheBackground() {
        try (GuardModels models = new GuardModels(properties(true))) {
            models.preload();
            await().atMost(Duration.ofMinutes(2)).until(models::loaded);
        }
    }

    @Test
    void withoutPreloadingTheyWaitForFirstUse() throws InterruptedException {
        try (GuardModels models = new GuardModels(properties(false))) {
            models.preload();
            Thread.sleep(500);
            assertThat(models.loaded()).isFalse();
            models.injection();
            models.toxicity();
            assertThat(models.loaded()).isTrue();
        }
    }

    private static GuardrailProperties properties(boolean preload) {
        return new GuardrailProperties(true, GuardPolicy.defaults(), Map.of(),
                new GuardrailProperties.Injection("target/no-jailguard-here", 0.8, 0.65),
                new GuardrailProperties.Toxicity("target/no-toxicity-model-here.json", 0.5, 200), preload);
    }
}
