// quant.cuh - the GGML weight formats, one 32-element chunk at a time (ggml's dequantize_row_* definitions, the
// same ones the CPU backend implements). Every format decodes a chunk on its own, K-quant super-blocks included,
// so one matrix kernel serves all of them: each lane of a warp takes chunks of a row in turn.
#pragma once
#include "common.cuh"

enum WeightType { F32 = 0, F16 = 1, Q4_0 = 2, Q4_1 = 3, Q8_0 = 8, Q4_K = 12, Q5_K = 13, Q6_K = 14, BF16 = 30 };

/** Bytes of one row of {@code cols} elements. */
template <int T> __device__ __forceinline__ size_t rowBytes(int cols) {
    switch (T) {
        case F32: return (size_t)cols * 4;
        case F16: case BF16: return (size_t)cols * 2;
        case Q4_0: return (size_t)cols / 32 * 18;
        case Q4_1: return (size_t)cols / 32 * 20;
        case Q8_0: return (size_t)cols / 32 * 34;
        case Q4_K: return (size_t)cols / 256 * 144;
        case Q5_K: return (size_t)cols / 256 * 176;
        default: return (size_t)cols / 256 * 210;   // Q6_K
    }
}

/** ggml's get_scale_min_k4: the 6-bit scale and minimum of sub-block j (0..7) from 12 packed bytes. */
__device__ __forceinline__ void scaleMinK4(int j, const u8* q, int& scale, int& min) {
    if (j < 4) {
        scale = q[j] & 63;
        min = q[j + 4] & 63;
    } else {
        scale = (q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4);
        min = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
    }
}

/**
 * Writes elements [32 c, 32 c + n) of a row into w[0..n) and returns n: 32, or fewer at the end of a row of plain
 * floats whose width is not a multiple of 32 (stories260K's 172).
 */
template <int T> __device__ __forceinline__ int dequant32(const u8* __restrict__ row, int c, int cols, float* w) {
    if (T == F32 || T == F16 || T == BF16) {
        int n = min(32, cols - c * 32);
        for (int i = 0; i < n; i++) {
            int e = c * 32 + i;
            w[i] = T == F32 ? reinterpret_cast<const float*>(row)[e]
                 : T == F16 ? f16(reinterpret_cast<const u16*>(row)[e])
                            : bf16(reinterpret_cast<const u16*>(row)[e]);
        }
        return n;
    }
    if (T == Q8_0) {
        const u8* b = row + (size_t)c * 34;
        float d = f16(load16(b));
        for (int i = 0; i < 32; i++) w[i] = d * (float)(signed char)b[2 + i];
    } else if (T == Q4_0) {
        const u8* b = row + (size_t)c * 18;
        float d = f16(load16(b));
        for (int i = 0; i < 16; i++) {
            w[i] = d * (float)((b[2 + i] & 0xF) - 8);
            w[i + 16] = d * (float)((b[2 + i] >> 4) - 8);
        }
    } else if (T == Q4_1) {
        const u8* b = row + (size_t)c * 20;
        float d = f16(load16(b)), m = f16(load16(b + 2));
        for (int i = 0; i < 16; i++) {
            w[i] = (float)(b[4 + i] & 0xF) * d + m;
            w[i + 16] = (float)(b[4 + i] >> 4) * d + m;
        }
    } else if (T == Q4_K || T == Q5_K) {
        const u8* b = row + (size_t)(c / 8) * (T == Q4_K ? 144 : 176);
        int j = c % 8, scale, mn;
        scaleMinK4(j, b + 4, scale, mn);
        float d = f16(load16(b)) * scale, m = f16(load16(b + 2)) * mn;
        const u8* qh = b + 16;                                   // Q5_K only: one high bit per element
        const u8* qs = b + (T == Q4_K ? 16 : 48) + (j / 2) * 32;
        int shift = (j & 1) * 4;
        for (int l = 0; l < 32; l++) {
            int q = (qs[l] >> shift) & 0xF;
            if (T == Q5_K && (qh[l] & (1 << j))) q += 16;
            w[l] = d * (float)q - m;
        }
    } else {                                                     // Q6_K
        const u8* b = row + (size_t)(c / 8) * 210;
        int j = c % 8, half = j / 4, quarter = j % 4;
        const u8* ql = b + 64 * half + (quarter & 1) * 32;
        const u8* qh = b + 128 + 32 * half;
        const signed char* sc = reinterpret_cast<const signed char*>(b + 192 + 8 * half);
        float d = f16(load16(b + 208));
        int lowShift = (quarter >> 1) * 4, highShift = quarter * 2;
        for (int l = 0; l < 32; l++) {
            int q = (((ql[l] >> lowShift) & 0xF) | (((qh[l] >> highShift) & 3) << 4)) - 32;
            w[l] = d * (float)sc[l / 16 + 2 * quarter] * (float)q;
        }
    }
    return 32;
}
