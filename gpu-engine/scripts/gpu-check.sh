#!/usr/bin/env bash
# The CUDA backend on a GPU machine, from what prepare-gpu-check.sh put in .gpu/ (run from the repository root):
#   1. the machine: nvidia-smi, driver
#   2. the CUDA tests (dev.hanul.engine.backend.cuda: every kernel against the CPU backend, stories260K's golden
#      text, SmolLM2-shape logits, paged attention, leaks) on the real driver, through JUnit's console launcher
#   3. GpuCheck: device bandwidth, prefill and decode tokens/s for batch 1..256 on SmolLM2-135M's and a 1B shape
#   4. compute-sanitizer memcheck over the kernel tests, when the machine has it
# Output: stdout and $OUT/gpu-check.log (+ $OUT/gpu-benchmark.md, the JUnit reports). Each step has a timeout;
# meant to end within 5 minutes, so a rerun fits in a 15-minute device budget.
# GPU_CHECK_DRY=1 runs the same steps here on the stand-in driver, with tiny benchmark shapes.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=${OUT:-/tmp/gpu-check-out}; mkdir -p "$out"
exec > >(tee "$out/gpu-check.log") 2>&1
g=.gpu
step() { echo; echo "=== $* ($(date -u +%T))"; }

step machine
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv 2>/dev/null || echo "no nvidia-smi"
uname -r; nproc

step java
tar -xzf "$g/jrt.tgz" -C /tmp && java=/tmp/jrt/bin/java
"$java" -version 2>&1 | head -1
driver=libcuda.so.1 bench=()
if [[ -n ${GPU_CHECK_DRY:-} ]]; then
    driver=$PWD/$g/emulator/libcuda.so.1 bench=(--dry-run)
    echo "dry run on the stand-in driver $driver"
fi
J=("$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dhanul.cuda.driver="$driver"
   -Dhanul.test.models="$PWD/$g/models")
cp="$g/lib/engine.jar:$g/lib/tests.jar:$(ls $g/lib/assertj-core-*.jar)"
junit=$(ls $g/lib/junit-platform-console-standalone-*.jar)

step "CUDA tests on the device"
tests=()
for c in CudaKernelsTest CudaStoriesTest CudaSmolLm2Test CudaMemoryTest BackendSelectorTest; do
    tests+=(--select-class "dev.hanul.engine.backend.cuda.$c")
done
timeout 240 "${J[@]}" -jar "$junit" execute --class-path "$cp" "${tests[@]}" \
    --details=tree --disable-banner --disable-ansi-colors --reports-dir="$out/junit"
echo "tests exit: $?"

step "benchmark"
timeout 300 "${J[@]}" -cp "$g/lib/engine.jar" dev.hanul.engine.backend.cuda.GpuCheck "${bench[@]}" --out "$out"
echo "benchmark exit: $?"

if [[ -z ${GPU_CHECK_DRY:-} ]] && command -v compute-sanitizer >/dev/null; then
    step "compute-sanitizer memcheck over the kernel tests"
    timeout 180 compute-sanitizer --tool memcheck --error-exitcode 3 "${J[@]}" -jar "$junit" execute \
        --class-path "$cp" --select-class dev.hanul.engine.backend.cuda.CudaKernelsTest --disable-banner
    echo "memcheck exit: $?"
fi
step done
