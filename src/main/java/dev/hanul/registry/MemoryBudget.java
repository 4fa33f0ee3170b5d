package dev.hanul.registry;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The memory that loaded versions may take together ({@code hanul.registry.memory-budget}): a version reserves its
 * weights and KV cache before it loads and gives them back when it unloads, so a load that would not fit is refused
 * up front instead of running the machine out of memory.
 */
final class MemoryBudget {

    private final long budget;
    private final Map<String, Long> reserved = new LinkedHashMap<>();

    MemoryBudget(long budget) {
        this.budget = budget;
    }

    /** @throws RegistryException (409) with the numbers when {@code bytes} more do not fit */
    synchronized void reserve(String version, long bytes, String what) {
        long used = used();
        if (used + bytes > budget) {
            throw RegistryException.conflict(("%s needs %s (%s) but only %s of the memory budget of %s are free "
                    + "(%s used by %s). Unload a version (POST /api/admin/models/{name}/versions/{version}/unload), "
                    + "give this one a smaller KV cache, or raise hanul.registry.memory-budget.")
                    .formatted(version, mb(bytes), what, mb(budget - used), mb(budget), mb(used), reserved.keySet()));
        }
        reserved.merge(version, bytes, Long::sum);
    }

    synchronized void release(String version) {
        reserved.remove(version);
    }

    synchronized long used() {
        return reserved.values().stream().mapToLong(Long::longValue).sum();
    }

    synchronized long reservedBy(String version) {
        return reserved.getOrDefault(version, 0L);
    }

    long budget() {
        return budget;
    }

    static String mb(long bytes) {
        return "%.1f MB".formatted(bytes / 1e6);
    }
}
