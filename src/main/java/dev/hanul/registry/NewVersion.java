package dev.hanul.registry;

/**
 * What registering a version takes.
 *
 * @param sha256          the file's expected SHA-256; checked when the file is read, and filled in when null
 * @param kvCacheBytes    this version's KV cache; null for {@code hanul.model.kv-cache}
 * @param defaultSampling the model's recommended sampling as a JSON object, or null
 */
record NewVersion(VersionSource source, String sha256, Long kvCacheBytes, String defaultSampling, String notes) {
}
