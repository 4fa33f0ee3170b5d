package dev.hanul.inference;

import dev.hanul.engine.EngineStats;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health of the served model (component {@code model}): OUT_OF_SERVICE while it downloads or loads, DOWN when it
 * failed, UP with the engine's state, the backend and why it was chosen once it serves. Part of the readiness group, so an orchestrator sends no traffic
 * to an instance whose model is not loaded.
 */
@Component("model")
class ModelHealthIndicator implements HealthIndicator {

    private final ServedModel served;

    ModelHealthIndicator(ServedModel served) {
        this.served = served;
    }

    @Override
    public Health health() {
        ModelState state = served.state();
        Health.Builder health = switch (state.phase()) {
            case READY -> Health.up();
            case FAILED -> Health.down();
            case DOWNLOADING, LOADING, STOPPED -> Health.outOfService();
        };
        health.withDetail("id", served.id()).withDetail("phase", state.phase()).withDetail("detail", state.detail());
        if (state.phase() == ModelState.Phase.READY) {
            try {
                EngineStats stats = served.engine().stats();
                health.withDetail("engine", stats).withDetail("backend", served.model().backendName())
                        .withDetail("backendReason", served.model().backendReason());
            } catch (ModelUnavailableException stoppedMeanwhile) {
                return Health.outOfService().withDetail("id", served.id()).build();
            }
        }
        return health.build();
    }
}
