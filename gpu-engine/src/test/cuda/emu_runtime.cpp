// emu_runtime.cpp - the fiber scheduler behind cuda_emu.h. A fiber switch is a hand-written x86-64 register swap
// (no signal-mask system call, unlike swapcontext), so an emulated thread costs well under a microsecond and whole
// models run through the emulator in tests.
#include "cuda_emu.h"

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <vector>

#if !defined(__x86_64__)
#error "the CUDA emulator's fiber switch is written for x86-64"
#endif

// Saves the callee-saved registers on the current stack, stores the stack pointer in *save, and resumes the fiber
// whose stack pointer is load (which was saved the same way, or laid out by Block::start).
extern "C" void hanul_emu_switch(void** save, void* load);
asm(R"(
    .text
    .globl hanul_emu_switch
    .type hanul_emu_switch, @function
hanul_emu_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size hanul_emu_switch, .-hanul_emu_switch
)");

namespace emu {

enum State : int { READY, AT_WARP_BARRIER, AT_BLOCK_BARRIER, DONE };

namespace {

constexpr size_t kStackBytes = 64 * 1024;

struct Block {
    std::vector<Fiber> fibers;
    std::vector<unsigned> ready;          // FIFO of fibers to run; head is the next one
    size_t head = 0;
    unsigned live = 0, atBlockBarrier = 0;
    std::vector<unsigned> warpLive, atWarpBarrier;
    std::vector<uint64_t> lanes[2];       // one slot per thread, two buffers: shuffles alternate between them
    void* scheduler = nullptr;
    void (*body)(void*) = nullptr;
    void* context = nullptr;
    const char* error = nullptr;
};

Block* block = nullptr;
std::mutex launches;

/** Stacks are reused by every block and launch: none is allocated per CUDA thread. */
char* stackOf(unsigned i) {
    static std::vector<char*> stacks;
    while (stacks.size() <= i) {
        char* s = static_cast<char*>(std::malloc(kStackBytes));
        if (!s) { std::fprintf(stderr, "cuda emulator: out of memory for fiber stacks\n"); std::abort(); }
        stacks.push_back(s);
    }
    return stacks[i];
}

void makeReady(Block& b, unsigned fiber) {
    b.fibers[fiber].state = READY;
    b.ready.push_back(fiber);
}

void releaseWarpIfComplete(Block& b, unsigned warp) {
    if (b.atWarpBarrier[warp] == 0 || b.atWarpBarrier[warp] < b.warpLive[warp]) return;
    b.atWarpBarrier[warp] = 0;
    unsigned end = std::min<unsigned>(b.fibers.size(), (warp + 1) * 32);
    for (unsigned i = warp * 32; i < end; i++)
        if (b.fibers[i].state == AT_WARP_BARRIER) makeReady(b, i);
}

void releaseBlockIfComplete(Block& b) {
    if (b.atBlockBarrier == 0 || b.atBlockBarrier < b.live) return;
    b.atBlockBarrier = 0;
    for (unsigned i = 0; i < b.fibers.size(); i++)
        if (b.fibers[i].state == AT_BLOCK_BARRIER) makeReady(b, i);
}

void yieldToScheduler() { hanul_emu_switch(&current->stack, block->scheduler); }

[[noreturn]] void fiberMain() {
    Block& b = *block;
    b.body(b.context);
    Fiber* self = current;
    self->state = DONE;
    b.live--;
    b.warpLive[self->linear / 32]--;
    // A thread that leaves counts as arrived at the barriers the others wait at, as on the GPU.
    releaseWarpIfComplete(b, self->linear / 32);
    releaseBlockIfComplete(b);
    yieldToScheduler();
    std::abort();  // a finished fiber is never resumed
}

/** Lays out a new fiber's stack so that the first switch to it "returns" into fiberMain with the ABI's alignment. */
void* freshStack(char* base, unsigned i) {
    // Staggered by 208 bytes a thread: tops at the same offset of 64 KiB stacks would all map to the same cache sets.
    auto top = (reinterpret_cast<uintptr_t>(base) + kStackBytes - (i % 64) * 208) & ~uintptr_t(15);
    auto* slot = reinterpret_cast<uintptr_t*>(top - 16);   // 16-aligned: after `ret`, rsp % 16 == 8 as after a call
    slot[1] = 0;
    slot[0] = reinterpret_cast<uintptr_t>(&fiberMain);
    for (int i = 1; i <= 6; i++) slot[-i] = 0;             // six callee-saved registers, popped as zeros
    return slot - 6;
}

void runBlock(Block& b) {
    unsigned n = b.fibers.size();
    b.ready.clear();
    b.head = 0;
    b.live = n;
    b.atBlockBarrier = 0;
    b.warpLive.assign((n + 31) / 32, 0);
    b.atWarpBarrier.assign((n + 31) / 32, 0);
    for (unsigned i = 0; i < n; i++) {
        Fiber& f = b.fibers[i];
        f.state = READY;
        f.stack = freshStack(stackOf(i), i);
        f.shuffles = 0;
        b.warpLive[i / 32]++;
        b.ready.push_back(i);
    }
    while (b.head < b.ready.size()) {
        current = &b.fibers[b.ready[b.head++]];
        hanul_emu_switch(&b.scheduler, current->stack);
        if (b.head > 4096 && b.head * 2 > b.ready.size()) {   // keep the queue short
            b.ready.erase(b.ready.begin(), b.ready.begin() + b.head);
            b.head = 0;
        }
    }
    current = nullptr;
    if (b.live > 0) {
        static char message[256];
        std::snprintf(message, sizeof message,
                      "block (%u,%u,%u): %u threads wait at barriers no one else reaches (__syncthreads or a *_sync "
                      "intrinsic in divergent code?)", blockIndex.x, blockIndex.y, blockIndex.z, b.live);
        b.error = message;
    }
}

}  // namespace

Fiber* current = nullptr;
uint3 blockIndex;
dim3 gridSize, blockSize;

void blockBarrier() {
    Block& b = *block;
    if (++b.atBlockBarrier == b.live) {       // the last to arrive releases the others and goes on
        b.atBlockBarrier = 0;
        for (unsigned i = 0; i < b.fibers.size(); i++)
            if (b.fibers[i].state == AT_BLOCK_BARRIER) makeReady(b, i);
        return;
    }
    current->state = AT_BLOCK_BARRIER;
    yieldToScheduler();
}

void warpBarrier() {
    Block& b = *block;
    unsigned warp = current->linear / 32;
    if (++b.atWarpBarrier[warp] == b.warpLive[warp]) {
        b.atWarpBarrier[warp] = 0;
        unsigned end = std::min<unsigned>(b.fibers.size(), (warp + 1) * 32);
        for (unsigned i = warp * 32; i < end; i++)
            if (b.fibers[i].state == AT_WARP_BARRIER) makeReady(b, i);
        return;
    }
    current->state = AT_WARP_BARRIER;
    yieldToScheduler();
}

uint64_t exchange(uint64_t value, unsigned source) {
    Block& b = *block;
    // Two buffers in turn: a lane can publish shuffle k + 2 only after the barrier of shuffle k + 1, which every lane
    // reaches after its read of shuffle k, so one barrier per shuffle suffices.
    std::vector<uint64_t>& lanes = b.lanes[current->shuffles++ & 1];
    unsigned base = current->linear & ~31u;
    lanes[current->linear] = value;
    warpBarrier();                              // every lane has published its value
    return base + source < b.fibers.size() ? lanes[base + source] : value;
}

const char* run(dim3 grid, dim3 threads, void (*body)(void*), void* context) {
    unsigned n = threads.x * threads.y * threads.z;
    if (n == 0 || n > 1024) return "block size must be 1..1024 threads";
    std::lock_guard<std::mutex> serial(launches);
    Block b;
    b.body = body;
    b.context = context;
    b.fibers.resize(n);
    b.lanes[0].assign(n, 0);
    b.lanes[1].assign(n, 0);
    for (unsigned i = 0; i < n; i++) {
        b.fibers[i].linear = i;
        b.fibers[i].index = {i % threads.x, (i / threads.x) % threads.y, i / (threads.x * threads.y)};
    }
    Block* outer = block;
    block = &b;
    gridSize = grid;
    blockSize = threads;
    for (unsigned z = 0; z < grid.z && !b.error; z++)
        for (unsigned y = 0; y < grid.y && !b.error; y++)
            for (unsigned x = 0; x < grid.x && !b.error; x++) {
                blockIndex = {x, y, z};
                runBlock(b);
            }
    block = outer;
    return b.error;
}

}  // namespace emu
