package dev.hanul.engine;

/**
 * How the serving engine uses memory and time.
 *
 * @param kvCacheMemory       bytes of KV cache, preallocated as blocks when the engine starts
 * @param blockSize           tokens per KV block (16: small enough that little memory is left unused at the end of
 *                            each sequence, large enough to keep block tables short)
 * @param maxRunningSequences the most sequences decoding at once (parallel samples count one each)
 * @param maxWaiting          the most requests queued for admission; beyond it {@code submit} throws
 *                            {@link EngineOverloadedException}
 * @param maxBatchTokens      the most tokens one step computes, over all sequences: bounds a step's latency
 * @param prefillChunk        the most prompt tokens of one sequence per step, so long prompts share steps with
 *                            decoding sequences instead of stalling them
 * @param threads             CPU threads for the model's kernels
 */
public record EngineConfig(long kvCacheMemory, int blockSize, int maxRunningSequences, int maxWaiting,
                           int maxBatchTokens, int prefillChunk, int threads) {

    public EngineConfig {
        require(kvCacheMemory > 0, "kvCacheMemory must be positive, got %d bytes", kvCacheMemory);
        require(blockSize >= 1, "blockSize must be at least 1 token, got %d", blockSize);
        require(maxRunningSequences >= 1, "maxRunningSequences must be at least 1, got %d", maxRunningSequences);
        require(maxWaiting >= 0, "maxWaiting must not be negative, got %d", maxWaiting);
        require(prefillChunk >= 1, "prefillChunk must be at least 1 token, got %d", prefillChunk);
        require(threads >= 1, "threads must be at least 1, got %d", threads);
        // Every running sequence must fit its one decode token into each step, or some would starve.
        require(maxBatchTokens >= maxRunningSequences, "maxBatchTokens must be at least maxRunningSequences ("
                + maxRunningSequences + ") so every running sequence gets its token each step, got %d",
                maxBatchTokens);
    }

    /** Defaults that work on a laptop: 512 MiB of KV cache, 64 running sequences, 512 tokens per step. */
    public static EngineConfig defaults() {
        return new EngineConfig(512L << 20, 16, 64, 1024, 512, 256, Runtime.getRuntime().availableProcessors());
    }

    /** How many blocks the memory budget holds for a model, at {@code bytesPerToken} of keys and values a token. */
    public int blocks(long bytesPerToken) {
        long blocks = kvCacheMemory / (bytesPerToken * blockSize);
        require(blocks >= 1, "kvCacheMemory of %d bytes holds no KV block: one block of " + blockSize
                + " tokens takes " + bytesPerToken * blockSize + " bytes for this model", kvCacheMemory);
        return (int) Math.min(Integer.MAX_VALUE, blocks);
    }

    private static void require(boolean valid, String message, long value) {
        if (!valid) {
            throw new IllegalArgumentException(message.formatted(value));
        }
    }
}
