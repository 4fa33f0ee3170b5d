// The engine's one CUDA module: built by gpu-engine/scripts/build-cuda.sh into a fatbin (sm_80 and sm_90 code plus
// compute_80 PTX) that the CUDA backend loads from its resources.
#include "matmul.cuh"
#include "layer_ops.cuh"
#include "attention.cuh"
