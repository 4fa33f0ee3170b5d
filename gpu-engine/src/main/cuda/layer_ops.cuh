// layer_ops.cuh - the per-token operations around the matrix products: RMSNorm, RoPE, SwiGLU, residual add, and
// writing keys and values into their KV slots. Their arithmetic follows the CPU backend's (double-precision angles
// and norm scale) so the two backends stay within rounding of each other.
#pragma once
#include "common.cuh"

#define NORM_THREADS 128

/** out[t] = x[t] / rms(x[t]) * gain; one block per token. */
extern "C" __global__ void __launch_bounds__(NORM_THREADS)
rms_norm(const float* __restrict__ x, const float* __restrict__ gain, float* __restrict__ out, int width, float eps) {
    __shared__ float partial[NORM_THREADS / 32];
    const float* xt = x + (size_t)blockIdx.x * width;
    float* ot = out + (size_t)blockIdx.x * width;
    float s = 0.f;
    for (int i = threadIdx.x; i < width; i += blockDim.x) s += xt[i] * xt[i];
    s = warpSum(s);
    if ((threadIdx.x & 31) == 0) partial[threadIdx.x / 32] = s;
    __syncthreads();
    float total = 0.f;
    for (int w = 0; w < (int)blockDim.x / 32; w++) total += partial[w];
    float scale = (float)(1.0 / sqrt((double)(total / width + eps)));
    for (int i = threadIdx.x; i < width; i += blockDim.x) ot[i] = xt[i] * scale * gain[i];
}

/** Rotates adjacent pairs of each head's first rotaryDim features by position; one block per token. */
extern "C" __global__ void rope(float* __restrict__ x, const int* __restrict__ positions,
                                const float* __restrict__ inverseFrequencies, int heads, int headDim, int rotaryDim) {
    int pairs = rotaryDim / 2;
    double position = positions[blockIdx.x];
    float* xt = x + (size_t)blockIdx.x * heads * headDim;
    for (int k = threadIdx.x; k < heads * pairs; k += blockDim.x) {
        int h = k / pairs, i = k % pairs;
        double angle = position * (double)inverseFrequencies[i];
        float c = (float)cos(angle), s = (float)sin(angle);
        float* p = xt + h * headDim + 2 * i;
        float a = p[0], b = p[1];
        p[0] = a * c - b * s;
        p[1] = a * s + b * c;
    }
}

/** gate = silu(gate) * up over count floats. */
extern "C" __global__ void swiglu(float* __restrict__ gate, const float* __restrict__ up, int count) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < count) {
        float g = gate[i];
        gate[i] = g / (1.f + expf(-g)) * up[i];
    }
}

/** into += x over count floats. */
extern "C" __global__ void add(float* __restrict__ into, const float* __restrict__ x, int count) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < count) into[i] += x[i];
}

/** Writes token t's key and value rows into KV slot slots[t] of one layer; one block per token. */
extern "C" __global__ void store_kv(float* __restrict__ keys, float* __restrict__ values, const float* __restrict__ k,
                                    const float* __restrict__ v, const int* __restrict__ slots, int kvDim) {
    size_t to = (size_t)slots[blockIdx.x] * kvDim, from = (size_t)blockIdx.x * kvDim;
    for (int i = threadIdx.x; i < kvDim; i += blockDim.x) {
        keys[to + i] = k[from + i];
        values[to + i] = v[from + i];
    }
}
