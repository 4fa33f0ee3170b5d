package dev.hanul.index;

import java.util.Objects;

/** An entry of a {@link VectorCollection}. The vector array is not copied. */
public record VectorRecord(String id, float[] vector, Metadata metadata) {

    public VectorRecord {
        ChunkDocument.requireNonBlank(id, "id");
        Objects.requireNonNull(vector, () -> "vector of record '" + id + "'");
        metadata = metadata == null ? Metadata.EMPTY : metadata;
    }
}
