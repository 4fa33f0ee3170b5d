// attention.cuh - causal grouped-query attention of each token over its sequence's cached keys and values, read
// through the block table (never a contiguous copy). One warp per (query head, token): positions go by in fixed
// chunks of 32, one per lane, with an online softmax, so a token's result does not depend on the batch around it.
#pragma once
#include "common.cuh"

#define ATTENTION_MAX_HEAD_DIM 256

extern "C" __global__ void __launch_bounds__(32)
paged_attention(const float* __restrict__ q, float* __restrict__ out, const float* __restrict__ keys,
                const float* __restrict__ values, const int* __restrict__ positions,
                const int* __restrict__ sequenceOf, const int* __restrict__ blockTables, int tableStride,
                int blockSize, int heads, int kvHeads, int headDim, float scale) {
    __shared__ float weight[32];
    __shared__ int slotOf[32];
    int h = blockIdx.x, t = blockIdx.y, lane = threadIdx.x;
    int kvDim = kvHeads * headDim;
    int kvOffset = (h / (heads / kvHeads)) * headDim;
    int length = positions[t] + 1;
    const int* table = blockTables + (size_t)sequenceOf[t] * tableStride;
    const float* qh = q + ((size_t)t * heads + h) * headDim;
    float o[ATTENTION_MAX_HEAD_DIM / 32];
    for (int j = 0; j < ATTENTION_MAX_HEAD_DIM / 32; j++) o[j] = 0.f;
    float runningMax = -INFINITY, denominator = 0.f;
    for (int base = 0; base < length; base += 32) {
        int p = base + lane;
        float score = -INFINITY;
        int slot = 0;
        if (p < length) {
            slot = table[p / blockSize] * blockSize + p % blockSize;
            const float* k = keys + (size_t)slot * kvDim + kvOffset;
            float dot = 0.f;
            for (int d = 0; d < headDim; d++) dot += qh[d] * k[d];
            score = dot * scale;
        }
        float newMax = fmaxf(runningMax, warpMax(score));
        float e = p < length ? expf(score - newMax) : 0.f;
        float correction = expf(runningMax - newMax);   // 0 on the first chunk: runningMax is -inf
        denominator = denominator * correction + warpSum(e);
        weight[lane] = e;
        slotOf[lane] = slot;
        __syncwarp();
        int n = min(32, length - base);
        for (int j = 0; j * 32 < headDim; j++) o[j] *= correction;
        for (int i = 0; i < n; i++) {
            const float* v = values + (size_t)slotOf[i] * kvDim + kvOffset;
            for (int j = 0; j * 32 < headDim; j++) {
                int d = lane + 32 * j;
                if (d < headDim) o[j] += weight[i] * v[d];
            }
        }
        __syncwarp();
        runningMax = newMax;
    }
    float* oh = out + ((size_t)t * heads + h) * headDim;
    for (int j = 0; j * 32 < headDim; j++) {
        int d = lane + 32 * j;
        if (d < headDim) oh[d] = o[j] / denominator;
    }
}
