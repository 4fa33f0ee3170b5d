// common.cuh - what every kernel file shares. The kernels include no CUDA header, so the same source compiles with
// nvcc for the GPU and with g++ against the CPU emulator (gpu-engine/src/test/cuda/cuda_emu.h) for tests.
#pragma once

typedef unsigned char u8;
typedef unsigned short u16;

#ifdef __CUDA_ARCH__
__device__ __forceinline__ float f16(u16 h) {
    float f;
    asm("cvt.f32.f16 %0, %1;" : "=f"(f) : "h"(h));
    return f;
}
#else
inline float f16(u16 h) {
    _Float16 v;
    __builtin_memcpy(&v, &h, 2);
    return (float)v;
}
#endif

__device__ __forceinline__ float bf16(u16 h) { return __uint_as_float((unsigned)h << 16); }

/** Little-endian 16-bit load from a byte address that may be odd-aligned (quant blocks are 18, 20, 34... bytes). */
__device__ __forceinline__ u16 load16(const u8* p) { return (u16)(p[0] | (p[1] << 8)); }

__device__ __forceinline__ float warpSum(float v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

__device__ __forceinline__ float warpMax(float v) {
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}
