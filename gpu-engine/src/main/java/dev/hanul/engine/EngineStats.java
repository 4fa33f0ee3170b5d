package dev.hanul.engine;

/**
 * A snapshot of the engine, for metrics: the serving gauges people graph from vLLM, and counters since start.
 *
 * @param running            sequences decoding or prefilling
 * @param waiting            sequences queued: new requests, and preempted sequences waiting to be recomputed
 * @param kvBlocksUsed       KV blocks referenced by running sequences
 * @param kvBlocksTotal      KV blocks in the pool
 * @param kvBlocksCached     unreferenced blocks kept for the prefix cache (reused or evicted when needed)
 * @param kvSlotsAllocated   token slots in the used blocks
 * @param kvSlotsUsed        of those, slots holding a computed token
 * @param prefixCacheHitRate prompt tokens found in the prefix cache over prompt tokens looked up, since start
 * @param preemptions        sequences preempted (to be recomputed) because KV blocks ran out
 * @param requestsSubmitted  requests accepted
 * @param requestsFinished   requests whose every sample finished (any reason)
 * @param requestsRejected   submissions refused with {@link EngineOverloadedException}
 * @param prefillTokens      tokens computed to catch sequences up: prompts and recomputation
 * @param decodeTokens       tokens computed one per step by decoding sequences
 * @param steps              forward passes run
 */
public record EngineStats(int running, int waiting, int kvBlocksUsed, int kvBlocksTotal, int kvBlocksCached,
                          long kvSlotsAllocated, long kvSlotsUsed, double prefixCacheHitRate, long preemptions,
                          long requestsSubmitted, long requestsFinished, long requestsRejected, long prefillTokens,
                          long decodeTokens, long steps) {

    /** KV blocks in use over all blocks, from 0 to 1. */
    public double kvCacheUsage() {
        return kvBlocksTotal == 0 ? 0 : (double) kvBlocksUsed / kvBlocksTotal;
    }

    /** Allocated KV slots that hold nothing, over allocated slots (0 when nothing is allocated). */
    public double kvSlotWaste() {
        return kvSlotsAllocated == 0 ? 0 : (double) (kvSlotsAllocated - kvSlotsUsed) / kvSlotsAllocated;
    }
}
