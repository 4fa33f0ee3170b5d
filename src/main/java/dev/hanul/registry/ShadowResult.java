package dev.hanul.registry;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** What a shadow version answered next to the primary's answer to the same request. */
@Table
public record ShadowResult(@Id String id, String requestId, String requested, Instant recordedAt,
                              String primaryId, String primaryText, String primaryEnd, long primaryMillis,
                              String shadowId, String shadowText, String shadowEnd, long shadowMillis) {
}
