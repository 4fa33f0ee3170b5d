// standin_libcuda.cpp - a stand-in libcuda.so.1 for machines without a GPU: the driver-API functions the CUDA
// backend binds, over host memory, running kernels through their CPU build (kernels_emu.cpp, found beside this
// library as libhanul_kernels_emu.so, or where HANUL_CUDA_EMULATOR_KERNELS says). It checks what a real driver
// checks and a test would otherwise miss: frees and copies of addresses it never handed out, copies past the end of
// an allocation, memory beyond the device's size; and it counts what is allocated, so leaks show in cuMemGetInfo.
// Stream capture records launches with their arguments copied by value, and graph launches replay them.
#include <dlfcn.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "cuda_emu.h"

typedef int CUresult;
typedef unsigned long long CUdeviceptr;

namespace {

enum : CUresult {
    SUCCESS = 0, INVALID_VALUE = 1, OUT_OF_MEMORY = 2, NOT_INITIALIZED = 3, NO_DEVICE = 100, INVALID_DEVICE = 101,
    INVALID_IMAGE = 200, INVALID_CONTEXT = 201, INVALID_HANDLE = 400, NOT_FOUND = 500, LAUNCH_FAILED = 719
};

void* kernels = nullptr;
std::mutex lock;
std::map<CUdeviceptr, size_t> allocations;
size_t allocated = 0;

size_t deviceBytes() {
    const char* configured = std::getenv("HANUL_CUDA_EMULATOR_MEMORY");
    return configured ? std::strtoull(configured, nullptr, 10) : size_t(8) << 30;
}

/** Whether [p, p + n) lies inside one allocation. */
bool inside(CUdeviceptr p, size_t n) {
    std::lock_guard<std::mutex> guard(lock);
    auto it = allocations.upper_bound(p);
    if (it == allocations.begin()) return false;
    --it;
    return p + n <= it->first + it->second;
}

std::string besideThisLibrary(const char* file) {
    Dl_info info;
    if (!dladdr(reinterpret_cast<void*>(&besideThisLibrary), &info) || !info.dli_fname) return file;
    std::string self = info.dli_fname;
    size_t slash = self.rfind('/');
    return slash == std::string::npos ? file : self.substr(0, slash + 1) + file;
}

double nowMs() {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Event { double ms = 0; };

/** Work captured from a stream: kernel launches with their arguments copied, and device-to-device copies. */
struct Node {
    const emu::Kernel* kernel;   // null for a copy
    dim3 grid, block;
    std::vector<std::vector<char>> arguments;
    CUdeviceptr to, from;
    size_t bytes;
};
struct Graph { std::vector<Node> nodes; };
struct Stream { Graph* capturing = nullptr; };

const char* runNode(const Node& node) {
    if (!node.kernel) {
        std::memmove(reinterpret_cast<void*>(node.to), reinterpret_cast<void*>(node.from), node.bytes);
        return nullptr;
    }
    std::vector<void*> params(node.arguments.size());
    for (size_t i = 0; i < params.size(); i++) params[i] = const_cast<char*>(node.arguments[i].data());
    return node.kernel->launch(node.grid, node.block, params.data());
}

}  // namespace

extern "C" {

CUresult cuInit(unsigned flags) {
    if (flags != 0) return INVALID_VALUE;
    if (kernels) return SUCCESS;
    const char* configured = std::getenv("HANUL_CUDA_EMULATOR_KERNELS");
    std::string path = configured ? configured : besideThisLibrary("libhanul_kernels_emu.so");
    kernels = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!kernels) {
        std::fprintf(stderr, "stand-in libcuda: cannot load the CPU kernels %s: %s\n", path.c_str(), dlerror());
        return NO_DEVICE;
    }
    return SUCCESS;
}

CUresult cuDriverGetVersion(int* version) { *version = 13000; return SUCCESS; }
CUresult cuDeviceGetCount(int* count) { *count = kernels ? 1 : 0; return kernels ? SUCCESS : NOT_INITIALIZED; }
CUresult cuDeviceGet(int* device, int ordinal) {
    if (!kernels) return NOT_INITIALIZED;
    if (ordinal != 0) return INVALID_DEVICE;
    *device = 0;
    return SUCCESS;
}
CUresult cuDeviceGetName(char* name, int length, int) {
    std::snprintf(name, length, "CPU emulation (stand-in libcuda)");
    return SUCCESS;
}
CUresult cuDeviceGetAttribute(int* value, int attribute, int) {
    switch (attribute) {
        case 75: *value = 9; break;    // compute capability major
        case 76: *value = 0; break;    // minor
        case 16: *value = 1; break;    // multiprocessors
        default: *value = 0;
    }
    return SUCCESS;
}
CUresult cuDeviceTotalMem_v2(size_t* bytes, int) { *bytes = deviceBytes(); return SUCCESS; }
CUresult cuDevicePrimaryCtxRetain(void** context, int) { static int primary; *context = &primary; return SUCCESS; }
CUresult cuDevicePrimaryCtxRelease_v2(int) { return SUCCESS; }
CUresult cuCtxSetCurrent(void*) { return SUCCESS; }
CUresult cuCtxSynchronize() { return SUCCESS; }

CUresult cuModuleLoadData(void** module, const void* image) {
    const unsigned char* p = static_cast<const unsigned char*>(image);
    if (!kernels) return NOT_INITIALIZED;
    bool fatbin = p && p[0] == 0x50 && p[1] == 0xed && p[2] == 0x55 && p[3] == 0xba;
    bool elf = p && p[0] == 0x7f && p[1] == 'E' && p[2] == 'L' && p[3] == 'F';
    bool ptx = p && (p[0] == '/' || p[0] == '.');
    if (!fatbin && !elf && !ptx) return INVALID_IMAGE;
    *module = kernels;   // the CPU build of the same source stands for the image
    return SUCCESS;
}
CUresult cuModuleUnload(void* module) { return module == kernels ? SUCCESS : INVALID_HANDLE; }
CUresult cuModuleGetFunction(void** function, void* module, const char* name) {
    if (module != kernels) return INVALID_HANDLE;
    void* kernel = dlsym(kernels, ("hanul_emu_" + std::string(name)).c_str());
    if (!kernel) return NOT_FOUND;
    *function = kernel;
    return SUCCESS;
}

CUresult cuMemAlloc_v2(CUdeviceptr* pointer, size_t bytes) {
    if (bytes == 0) return INVALID_VALUE;
    std::lock_guard<std::mutex> guard(lock);
    if (allocated + bytes > deviceBytes()) return OUT_OF_MEMORY;
    void* memory = std::aligned_alloc(256, (bytes + 255) / 256 * 256);   // the driver's 256-byte alignment
    if (!memory) return OUT_OF_MEMORY;
    std::memset(memory, 0xA5, bytes);   // never zero: a kernel reading memory nobody wrote shows in results
    *pointer = reinterpret_cast<CUdeviceptr>(memory);
    allocations[*pointer] = bytes;
    allocated += bytes;
    return SUCCESS;
}
CUresult cuMemFree_v2(CUdeviceptr pointer) {
    std::lock_guard<std::mutex> guard(lock);
    auto it = allocations.find(pointer);
    if (it == allocations.end()) return INVALID_VALUE;
    allocated -= it->second;
    allocations.erase(it);
    std::free(reinterpret_cast<void*>(pointer));
    return SUCCESS;
}
CUresult cuMemGetInfo_v2(size_t* free, size_t* total) {
    std::lock_guard<std::mutex> guard(lock);
    *total = deviceBytes();
    *free = *total - allocated;
    return SUCCESS;
}
CUresult cuMemcpyHtoD_v2(CUdeviceptr to, const void* from, size_t bytes) {
    if (!inside(to, bytes)) return INVALID_VALUE;
    std::memcpy(reinterpret_cast<void*>(to), from, bytes);
    return SUCCESS;
}
CUresult cuMemcpyDtoH_v2(void* to, CUdeviceptr from, size_t bytes) {
    if (!inside(from, bytes)) return INVALID_VALUE;
    std::memcpy(to, reinterpret_cast<void*>(from), bytes);
    return SUCCESS;
}
CUresult cuMemcpyDtoD_v2(CUdeviceptr to, CUdeviceptr from, size_t bytes) {
    if (!inside(to, bytes) || !inside(from, bytes)) return INVALID_VALUE;
    std::memmove(reinterpret_cast<void*>(to), reinterpret_cast<void*>(from), bytes);
    return SUCCESS;
}

CUresult cuMemsetD8_v2(CUdeviceptr to, unsigned char value, size_t bytes) {
    if (!inside(to, bytes)) return INVALID_VALUE;
    std::memset(reinterpret_cast<void*>(to), value, bytes);
    return SUCCESS;
}

CUresult cuLaunchKernel(void* function, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                        unsigned bz, unsigned sharedBytes, void* stream, void** params, void** extra) {
    if (!function || extra || sharedBytes != 0) return INVALID_VALUE;   // the kernels use static shared memory only
    if (gx == 0 || gy == 0 || gz == 0 || gy > 65535 || gz > 65535) return INVALID_VALUE;
    auto* kernel = static_cast<const emu::Kernel*>(function);
    if (kernel->parameterCount > 0 && !params) return INVALID_VALUE;
    Node node{kernel, dim3(gx, gy, gz), dim3(bx, by, bz), {}, 0, 0, 0};
    for (unsigned i = 0; i < kernel->parameterCount; i++) {
        const char* p = static_cast<const char*>(params[i]);
        node.arguments.emplace_back(p, p + kernel->parameterSizes[i]);   // by value, as the driver copies them
    }
    if (stream && static_cast<Stream*>(stream)->capturing) {
        static_cast<Stream*>(stream)->capturing->nodes.push_back(std::move(node));
        return SUCCESS;
    }
    const char* error = runNode(node);
    if (error) {
        std::fprintf(stderr, "stand-in libcuda: kernel %s failed: %s\n", kernel->name, error);
        return LAUNCH_FAILED;
    }
    return SUCCESS;
}

CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr to, CUdeviceptr from, size_t bytes, void* stream) {
    if (!inside(to, bytes) || !inside(from, bytes)) return INVALID_VALUE;
    Node node{nullptr, dim3(), dim3(), {}, to, from, bytes};
    if (stream && static_cast<Stream*>(stream)->capturing) {
        static_cast<Stream*>(stream)->capturing->nodes.push_back(std::move(node));
        return SUCCESS;
    }
    runNode(node);
    return SUCCESS;
}

CUresult cuStreamCreate(void** stream, unsigned) { *stream = new Stream; return SUCCESS; }
CUresult cuStreamDestroy_v2(void* stream) { delete static_cast<Stream*>(stream); return SUCCESS; }
CUresult cuStreamSynchronize(void*) { return SUCCESS; }
CUresult cuStreamBeginCapture_v2(void* stream, int) {
    if (!stream || static_cast<Stream*>(stream)->capturing) return INVALID_VALUE;
    static_cast<Stream*>(stream)->capturing = new Graph;
    return SUCCESS;
}
CUresult cuStreamEndCapture(void* stream, void** graph) {
    auto* s = static_cast<Stream*>(stream);
    if (!s || !s->capturing) return INVALID_VALUE;
    *graph = s->capturing;
    s->capturing = nullptr;
    return SUCCESS;
}
CUresult cuGraphInstantiateWithFlags(void** exec, void* graph, unsigned long long) {
    *exec = new Graph(*static_cast<Graph*>(graph));
    return SUCCESS;
}
CUresult cuGraphLaunch(void* exec, void*) {
    for (const Node& node : static_cast<Graph*>(exec)->nodes) {
        if (const char* error = runNode(node)) {
            std::fprintf(stderr, "stand-in libcuda: kernel %s in a graph failed: %s\n", node.kernel->name, error);
            return LAUNCH_FAILED;
        }
    }
    return SUCCESS;
}
CUresult cuGraphExecDestroy(void* exec) { delete static_cast<Graph*>(exec); return SUCCESS; }
CUresult cuGraphDestroy(void* graph) { delete static_cast<Graph*>(graph); return SUCCESS; }

CUresult cuEventCreate(void** event, unsigned) { *event = new Event; return SUCCESS; }
CUresult cuEventDestroy_v2(void* event) { delete static_cast<Event*>(event); return SUCCESS; }
CUresult cuEventRecord(void* event, void*) { static_cast<Event*>(event)->ms = nowMs(); return SUCCESS; }
CUresult cuEventSynchronize(void*) { return SUCCESS; }
CUresult cuEventElapsedTime(float* ms, void* start, void* end) {
    *ms = float(static_cast<Event*>(end)->ms - static_cast<Event*>(start)->ms);
    return SUCCESS;
}

CUresult cuGetErrorName(CUresult error, const char** name) {
    static const std::map<CUresult, const char*> names = {
        {SUCCESS, "CUDA_SUCCESS"}, {INVALID_VALUE, "CUDA_ERROR_INVALID_VALUE"},
        {OUT_OF_MEMORY, "CUDA_ERROR_OUT_OF_MEMORY"}, {NOT_INITIALIZED, "CUDA_ERROR_NOT_INITIALIZED"},
        {NO_DEVICE, "CUDA_ERROR_NO_DEVICE"}, {INVALID_DEVICE, "CUDA_ERROR_INVALID_DEVICE"},
        {INVALID_IMAGE, "CUDA_ERROR_INVALID_IMAGE"}, {INVALID_CONTEXT, "CUDA_ERROR_INVALID_CONTEXT"},
        {INVALID_HANDLE, "CUDA_ERROR_INVALID_HANDLE"}, {NOT_FOUND, "CUDA_ERROR_NOT_FOUND"},
        {LAUNCH_FAILED, "CUDA_ERROR_LAUNCH_FAILED"}};
    auto it = names.find(error);
    if (it == names.end()) return INVALID_VALUE;
    *name = it->second;
    return SUCCESS;
}
CUresult cuGetErrorString(CUresult error, const char** text) { return cuGetErrorName(error, text); }

}  // extern "C"
