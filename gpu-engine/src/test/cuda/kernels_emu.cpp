// The CPU build of the engine's CUDA module: the same .cuh sources as the fatbin, compiled by g++ against
// cuda_emu.h, each kernel exported for the stand-in driver (standin_libcuda.cpp) to find by name.
#include "cuda_emu.h"
#include "../../main/cuda/matmul.cuh"
#include "../../main/cuda/layer_ops.cuh"
#include "../../main/cuda/attention.cuh"

#define MATMUL_EXPORTS(NAME) HANUL_EMU_EXPORT(matmul_##NAME) HANUL_EMU_EXPORT(embed_##NAME)
MATMUL_EXPORTS(f32)
MATMUL_EXPORTS(f16)
MATMUL_EXPORTS(bf16)
MATMUL_EXPORTS(q8_0)
MATMUL_EXPORTS(q4_0)
MATMUL_EXPORTS(q4_1)
MATMUL_EXPORTS(q4_k)
MATMUL_EXPORTS(q5_k)
MATMUL_EXPORTS(q6_k)
HANUL_EMU_EXPORT(rms_norm)
HANUL_EMU_EXPORT(rope)
HANUL_EMU_EXPORT(swiglu)
HANUL_EMU_EXPORT(add)
HANUL_EMU_EXPORT(store_kv)
HANUL_EMU_EXPORT(paged_attention)
