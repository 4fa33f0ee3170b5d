// matmul.cuh - out[t][r] = sum_i W[r][i] x[t][i] on weights still in their file format, and embedding lookups.
// One warp per weight row, four rows per block; each lane dequantizes 32-element chunks of its row into registers
// and multiplies them with up to TOKENS tokens, so a batch reads each weight once per TOKENS tokens.
#pragma once
#include "quant.cuh"

#define MATMUL_ROWS_PER_BLOCK 4
#define MATMUL_TOKENS 8

template <int T>
__device__ __forceinline__ void matmulRows(const u8* __restrict__ w, const float* __restrict__ x,
                                           float* __restrict__ out, int rows, int cols, int tokens) {
    int row = blockIdx.x * MATMUL_ROWS_PER_BLOCK + threadIdx.x / 32;
    int lane = threadIdx.x & 31;
    if (row >= rows) return;                         // whole warps leave together
    int first = blockIdx.y * MATMUL_TOKENS;
    int count = min(MATMUL_TOKENS, tokens - first);
    const u8* rowData = w + (size_t)row * rowBytes<T>(cols);
    float acc[MATMUL_TOKENS];
    for (int t = 0; t < MATMUL_TOKENS; t++) acc[t] = 0.f;
    int chunks = (cols + 31) / 32;
    for (int c = lane; c < chunks; c += 32) {
        float v[32];
        int n = dequant32<T>(rowData, c, cols, v);
        for (int t = 0; t < MATMUL_TOKENS; t++) {
            if (t >= count) break;
            const float* xt = x + (size_t)(first + t) * cols + c * 32;
            float s = 0.f;
            for (int i = 0; i < n; i++) s += v[i] * xt[i];
            acc[t] += s;
        }
    }
    for (int t = 0; t < count; t++) {                // count is the same for the whole warp
        float s = warpSum(acc[t]);
        if (lane == 0) out[(size_t)(first + t) * rows + row] = s;
    }
}

/** out[t] = row tokens[t] of the table, dequantized; one block of 32 threads per token. */
template <int T>
__device__ __forceinline__ void embedRows(const u8* __restrict__ table, const int* __restrict__ tokens,
                                          float* __restrict__ out, int cols) {
    const u8* rowData = table + (size_t)tokens[blockIdx.x] * rowBytes<T>(cols);
    float* o = out + (size_t)blockIdx.x * cols;
    for (int c = threadIdx.x; c < (cols + 31) / 32; c += blockDim.x) {
        float v[32];
        int n = dequant32<T>(rowData, c, cols, v);
        for (int i = 0; i < n; i++) o[c * 32 + i] = v[i];
    }
}

#define MATMUL_KERNELS(NAME, TYPE)                                                                                  \
    extern "C" __global__ void __launch_bounds__(32 * MATMUL_ROWS_PER_BLOCK)                                        \
    matmul_##NAME(const u8* w, const float* x, float* out, int rows, int cols, int tokens) {                       \
        matmulRows<TYPE>(w, x, out, rows, cols, tokens);                                                            \
    }                                                                                                               \
    extern "C" __global__ void embed_##NAME(const u8* table, const int* tokens, float* out, int cols) {            \
        embedRows<TYPE>(table, tokens, out, cols);                                                                  \
    }

MATMUL_KERNELS(f32, F32)
MATMUL_KERNELS(f16, F16)
MATMUL_KERNELS(bf16, BF16)
MATMUL_KERNELS(q8_0, Q8_0)
MATMUL_KERNELS(q4_0, Q4_0)
MATMUL_KERNELS(q4_1, Q4_1)
MATMUL_KERNELS(q4_k, Q4_K)
MATMUL_KERNELS(q5_k, Q5_K)
MATMUL_KERNELS(q6_k, Q6_K)
