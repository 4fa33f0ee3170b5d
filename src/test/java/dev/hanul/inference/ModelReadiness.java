package dev.hanul.inference;

import java.time.Duration;
import org.awaitility.Awaitility;

/** The served model loads in the background after the context starts; tests that generate wait for it first. */
public final class ModelReadiness {

    private ModelReadiness() {
    }

    /** Waits until the model serves; fails with the model's state (why it did not load) after a minute. */
    public static void await(ServedModel served) {
        Awaitility.await("the served model to be ready").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(20))
                .until(served::state, state -> state.phase() == ModelState.Phase.READY
                        || state.phase() == ModelState.Phase.FAILED);
        if (served.state().phase() != ModelState.Phase.READY) {
            throw new AssertionError("The model did not load: " + served.state().detail());
        }
    }
}
