package dev.hanul.ops;

import dev.hanul.index.VectorStore;
import java.io.IOException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** Health of the chunk index (component {@code chunkIndex}): UP while it can be searched, with its chunk count. */
@Component("chunkIndex")
class ChunkIndexHealthIndicator implements HealthIndicator {

    private final VectorStore chunkStore;

    ChunkIndexHealthIndicator(VectorStore chunkStore) {
        this.chunkStore = chunkStore;
    }

    @Override
    public Health health() {
        try {
            return Health.up().withDetail("chunks", chunkStore.count()).build();
        } catch (IOException | RuntimeException e) {
            return Health.down().withDetail("error", "The chunk index cannot be searched: " + e.getMessage()
                    + "; check the data directory, or restore the index from a backup").build();
        }
    }
}
