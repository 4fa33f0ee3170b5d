package dev.hanul.registry;

import dev.hanul.inference.ShadowRecorder;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Stores each shadowed request's two answers in {@code shadow_result}, for {@code GET
 * /api/admin/models/shadow-results}. The insert runs in the background: the client's stream has ended by then, and a
 * failed insert costs one comparison, never a request.
 */
@Component
class DatabaseShadowRecorder implements ShadowRecorder {

    private static final Logger log = LoggerFactory.getLogger(DatabaseShadowRecorder.class);

    private final RegistryStore store;

    DatabaseShadowRecorder(RegistryStore store) {
        this.store = store;
    }

    @Override
    public void record(ShadowRecorder.ShadowResult result) {
        var row = new dev.hanul.registry.ShadowResult(UUID.randomUUID().toString(), result.requestId(), result.requested(),
                result.at(), result.primary(), result.primaryText(), result.primaryEnd(), result.primaryMillis(),
                result.shadow(), result.shadowText(), result.shadowEnd(), result.shadowMillis());
        store.insert(row).subscribe(stored -> {
        }, e -> log.warn("The shadow answer of request {} was not stored: {}", result.requestId(), e.toString()));
    }
}
