package dev.hanul.registry;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How the model registry holds versions in memory, under {@code hanul.registry.}.
 *
 * @param memoryBudget the most memory all loaded versions may take together: each one's weights (the mapped file)
 *                     plus its KV cache. A load that does not fit is refused with the numbers.
 * @param drainGrace   how long a replaced version still starts requests that were routed to it just before the
 *                     alias moved (routing and starting are a few milliseconds apart); after that it refuses new
 *                     ones, and it unloads once the last running one has ended
 * @param warmTokens   tokens the warm-up generation decodes before a freshly loaded version takes traffic
 * @param syncInterval how often this replica reads the registry's tables for changes made through other replicas
 *                     sharing the database ({@link RegistrySync}); 0 turns that off (one process alone)
 */
@ConfigurationProperties("hanul.registry")
public record RegistryProperties(
        @DefaultValue("2GB") DataSize memoryBudget,
        @DefaultValue("2s") Duration drainGrace,
        @DefaultValue("4") int warmTokens,
        @DefaultValue("2s") Duration syncInterval) {
}
