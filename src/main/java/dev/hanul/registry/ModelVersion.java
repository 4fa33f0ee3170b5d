package dev.hanul.registry;

import dev.hanul.inference.ModelState;
import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A version of a model as stored: its source, what its file is, who registered it, and its last known state. The
 * facts about the file (hash, size, architecture, quantization, context) are filled in once the file has been read.
 */
@Table
record ModelVersion(@Id String id, String name, int version, VersionSource.Kind sourceKind, String source,
                       String sourceFile, String sha256, Long sizeBytes, String architecture, String quantization,
                       Integer contextLength, Long kvCacheBytes, String defaultSampling, String notes,
                       String createdBy, Instant createdAt, ModelState.Phase phase, String detail,
                       Instant updatedAt) {

    VersionSource versionSource() {
        return VersionSource.of(sourceKind, source, sourceFile);
    }

    ModelVersion withFacts(GgufFacts facts, String sha256) {
        return new ModelVersion(id, name, version, sourceKind, source, sourceFile, sha256, facts.sizeBytes(),
                facts.architecture(), facts.quantization(), facts.contextLength(), kvCacheBytes, defaultSampling,
                notes, createdBy, createdAt, phase, detail, updatedAt);
    }

    ModelVersion withState(ModelState state, Instant at) {
        return new ModelVersion(id, name, version, sourceKind, source, sourceFile, sha256, sizeBytes,
                architecture, quantization, contextLength, kvCacheBytes, defaultSampling, notes, createdBy,
                createdAt, state.phase(), state.detail(), at);
    }
}
