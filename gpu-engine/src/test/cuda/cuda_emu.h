// cuda_emu.h - compiles the engine's CUDA kernels (gpu-engine/src/main/cuda/*.cuh) with g++ for the CPU, so the
// CUDA backend can be tested on machines without a GPU. Every CUDA thread of a block is a fiber with its own stack;
// __syncthreads is a barrier over the block's live threads and every *_sync warp intrinsic a barrier over the live
// lanes of its warp, so divergent code (if (threadIdx.x < 32) { shuffles }) behaves as on the GPU, and a barrier
// that can never be passed aborts with the block named instead of hanging.
// Launches run one at a time (a lock), blocks one after another. What kernels may use: the intrinsics below, fixed-size __shared__ arrays, full-warp masks. Not emulated: inline
// PTX (kernels give such helpers a CPU spelling under #ifndef __CUDA_ARCH__), dynamic shared memory, atomics across
// blocks running concurrently (they do not), tensor-core instructions.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <tuple>
#include <type_traits>
#include <utility>

struct dim3 {
    unsigned x, y, z;
    constexpr dim3(unsigned a = 1, unsigned b = 1, unsigned c = 1) : x(a), y(b), z(c) {}
};
struct uint3 { unsigned x, y, z; };

namespace emu {

/** One CUDA thread: its saved stack pointer, its index, and how many shuffles it has done (which buffer is next). */
struct Fiber {
    void* stack;
    uint3 index;
    unsigned linear;
    unsigned shuffles;
    int state;
};

// Launches are serialized (run() holds a lock), so the runtime's state is plain globals: thread-locals in a shared
// library cost a __tls_get_addr call per access, which dominated the emulator's time.
extern Fiber* current;
extern uint3 blockIndex;
extern dim3 gridSize, blockSize;

inline const uint3& threadIndex() { return current->index; }
inline unsigned lane() { return current->linear & 31; }
void blockBarrier();
void warpBarrier();
/** The value lane {@code source} of the calling lane's warp passed in (one warp barrier). */
uint64_t exchange(uint64_t value, unsigned source);
/** Runs {@code body(context)} once per thread of every block of the grid. Returns an error text or nullptr. */
const char* run(dim3 grid, dim3 block, void (*body)(void*), void* context);

template <typename T> T shuffle(T value, unsigned source) {
    static_assert(sizeof(T) <= 8 && std::is_trivially_copyable_v<T>, "shuffles move at most 8 bytes");
    uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof(T));
    bits = exchange(bits, source);
    T out;
    std::memcpy(&out, &bits, sizeof(T));
    return out;
}

/** cuLaunchKernel's argument array (one pointer per argument) turned into a call, the arguments copied first. */
template <typename... A, size_t... I>
const char* launch(void (*kernel)(A...), dim3 grid, dim3 block, void** params, std::index_sequence<I...>) {
    struct Call { void (*kernel)(A...); std::tuple<std::decay_t<A>...> args; };
    Call call{kernel, {*static_cast<std::decay_t<A>*>(params[I])...}};
    return run(grid, block, [](void* c) { auto* self = static_cast<Call*>(c); std::apply(self->kernel, self->args); },
               &call);
}

/** What the stand-in driver finds by name: a kernel's launcher and the byte size of each of its parameters. */
struct Kernel {
    const char* name;
    unsigned parameterCount;
    const size_t* parameterSizes;
    const char* (*launch)(dim3 grid, dim3 block, void** params);
};

template <typename... A> struct Signature {
    static constexpr size_t sizes[sizeof...(A) + 1] = {sizeof(std::decay_t<A>)..., 0};
};
template <typename... A> constexpr Signature<A...> signatureOf(void (*)(A...)) { return {}; }
template <typename... A> constexpr unsigned arityOf(void (*)(A...)) { return sizeof...(A); }

}  // namespace emu

// Exports kernel NAME as the symbol hanul_emu_NAME (an emu::Kernel) for the stand-in driver.
#define HANUL_EMU_EXPORT(NAME)                                                                                     \
    extern "C" __attribute__((visibility("default"))) const emu::Kernel hanul_emu_##NAME = {                                                              \
        #NAME, emu::arityOf(&NAME), decltype(emu::signatureOf(&NAME))::sizes,                                       \
        [](dim3 g, dim3 b, void** p) {                                                                              \
            return emu::launch(&NAME, g, b, p, std::make_index_sequence<emu::arityOf(&NAME)>{});                    \
        }};

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define __shared__ static   // blocks run one at a time, launches one at a time
#define threadIdx (emu::threadIndex())
#define blockIdx (emu::blockIndex)
#define blockDim (emu::blockSize)
#define gridDim (emu::gridSize)
#define warpSize 32

inline void __syncthreads() { emu::blockBarrier(); }
inline void __syncwarp(unsigned = 0xffffffffu) { emu::warpBarrier(); }
template <typename T> T __shfl_sync(unsigned, T v, int source, int width = 32) {
    return emu::shuffle(v, (emu::lane() & ~unsigned(width - 1)) | (unsigned(source) & unsigned(width - 1)));
}
template <typename T> T __shfl_xor_sync(unsigned, T v, int mask, int width = 32) {
    unsigned l = emu::lane(), s = l ^ unsigned(mask);
    return emu::shuffle(v, (s & ~unsigned(width - 1)) == (l & ~unsigned(width - 1)) ? s : l);
}
template <typename T> T __shfl_down_sync(unsigned, T v, unsigned delta, int width = 32) {
    unsigned l = emu::lane(), s = l + delta;
    return emu::shuffle(v, (s & ~unsigned(width - 1)) == (l & ~unsigned(width - 1)) ? s : l);
}
inline float __expf(float x) { return std::exp(x); }
inline float rsqrtf(float x) { return 1.0f / std::sqrt(x); }
inline int __dp4a(int a, int b, int c) {
    for (int i = 0; i < 32; i += 8) c += int(int8_t(a >> i)) * int(int8_t(b >> i));
    return c;
}
inline float __uint_as_float(unsigned u) { float f; std::memcpy(&f, &u, 4); return f; }
inline float fmaxf(float a, float b) { return std::fmax(a, b); }
inline int min(int a, int b) { return a < b ? a : b; }
inline int max(int a, int b) { return a > b ? a : b; }
