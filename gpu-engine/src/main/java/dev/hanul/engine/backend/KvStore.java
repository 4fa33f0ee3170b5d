package dev.hanul.engine.backend;

/**
 * The memory of the paged KV cache, as a backend holds it: for every layer, {@code slots} rows of keys and of values,
 * {@code kvDim} floats each. A slot is {@code block * blockSize + offset}; which slots a sequence owns is the block
 * table's business, not the store's.
 */
public interface KvStore {

    int layers();

    int slots();

    int kvDim();
}
