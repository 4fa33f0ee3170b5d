package dev.hanul.registry;

import dev.hanul.inference.InferenceFailure;
import dev.hanul.inference.ModelInstance;
import dev.hanul.inference.ModelState;
import dev.hanul.inference.ModelState.Phase;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health of what the service serves by default (component {@code model}, in the readiness group): UP when every
 * version the {@code default} alias points at is READY, DOWN when one failed to load, OUT_OF_SERVICE while one
 * downloads or loads. The details name the first version that is not ready (or the first target), its phase and why,
 * and the engine's state once it serves.
 */
@Component("model")
class ModelHealthIndicator implements HealthIndicator {

    private final ModelRegistry registry;

    ModelHealthIndicator(ModelRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Health health() {
        List<String> targets = registry.defaultTargets();
        if (targets.isEmpty()) {
            return Health.outOfService().withDetail("detail", "the alias 'default' points nowhere; set it with PUT "
                    + "/api/admin/models/aliases/default").build();
        }
        Map<String, Phase> phases = new LinkedHashMap<>();
        String shown = targets.getFirst();
        for (String target : targets) {
            Phase phase = registry.state(target).phase();
            phases.put(target, phase);
            if (phase != Phase.READY && phases.get(shown) == Phase.READY) {
                shown = target;
            }
        }
        ModelState state = registry.state(shown);
        Health.Builder health = switch (state.phase()) {
            case READY -> Health.up();
            case FAILED -> Health.down();
            case REGISTERED, DOWNLOADING, LOADING, DRAINING, UNLOADED, STOPPED -> Health.outOfService();
        };
        health.withDetail("alias", ModelRegistry.DEFAULT_ALIAS).withDetail("id", shown)
                .withDetail("phase", state.phase()).withDetail("detail", state.detail()).withDetail("versions", phases);
        if (state.phase() == Phase.READY) {
            try {
                ModelInstance serving = registry.route(shown, null).primary();
                if (serving.localEngine() == null) {
                    health.withDetail("backend", "remote");
                } else {
                    health.withDetail("engine", serving.engine().stats())
                            .withDetail("backend", serving.model().backendName())
                            .withDetail("backendReason", serving.model().backendReason());
                }
            } catch (InferenceFailure unloadedMeanwhile) {
                return Health.outOfService().withDetail("id", shown).build();
            }
        }
        return health.build();
    }
}
