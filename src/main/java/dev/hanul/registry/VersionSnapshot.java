package dev.hanul.registry;

import dev.hanul.inference.ModelState;

/**
 * A version as the registry sees it at one moment.
 *
 * @param weightBytes  the mapped file, while it is loaded (0 otherwise)
 * @param kvCacheBytes its engine's KV cache, while it is loaded (0 otherwise)
 * @param inFlight     requests running on it
 */
record VersionSnapshot(ModelVersion row, ModelState state, long weightBytes, long kvCacheBytes, int inFlight) {
}
