#!/usr/bin/env bash
# Builds what the CUDA backend needs, as far as this machine allows; never fails the build. Run by Maven (pom.xml,
# generate-resources) and by hand:  gpu-engine/scripts/build-cuda.sh CLASSES_DIR EMULATOR_DIR
#   CLASSES_DIR/dev/hanul/engine/backend/cuda/hanul_kernels.fatbin   the kernels (sm_80 + sm_90 SASS, compute_80 PTX),
#       compiled by nvcc 13.0 from PyPI wheels (no GPU needed); a GPU machine's driver 580 = CUDA 13.0 loads them.
#   EMULATOR_DIR/libcuda.so.1 + libhanul_kernels_emu.so   the stand-in driver and the CPU build of the same kernels
#       (g++ only), on which the tests run the CUDA backend without a GPU. The stand-in's soname is not libcuda.so.1,
#       so once a test has loaded it by path, a later dlopen("libcuda.so.1") in the same JVM does not find it.
# Each part writes EMULATOR_DIR/<part>.status: "built" or why not, which the tests print when they skip.
# HANUL_CUDA_BUILD=off skips both; HANUL_CUDA_WHEELS names the folder the compiler wheels go to.
set -uo pipefail
classes=${1:?classes folder} emulator=${2:?emulator folder}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$here/../src/main/cuda emu_src=$here/../src/test/cuda
mkdir -p "$emulator"
status() { echo "$2" > "$emulator/$1.status"; echo "build-cuda: $1: $2"; }

if [[ ${HANUL_CUDA_BUILD:-on} == off ]]; then
    status kernels "not built: HANUL_CUDA_BUILD=off"; status emulator "not built: HANUL_CUDA_BUILD=off"; exit 0
fi

# Rebuilds only when a source or this script changed: Maven runs this on every build.
stamp() { cat "$@" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-16; }

build_emulator() {
    command -v g++ >/dev/null || { status emulator "not built: no g++ on PATH (apt-get install g++)"; return; }
    [[ $(uname -m) == x86_64 ]] || { status emulator "not built: the emulator's fiber switch is x86-64 only"; return; }
    local key; key=$(stamp "$src"/*.cuh "$emu_src"/*)
    if [[ -f $emulator/emulator.key && $(cat "$emulator/emulator.key") == "$key" && -f $emulator/libcuda.so.1 ]]; then
        return
    fi
    local log=$emulator/emulator-build.log
    if g++ -std=c++17 -O2 -fPIC -shared -Wl,-soname,libhanul-cuda-standin.so -o "$emulator/libcuda.so.1" \
            "$emu_src/standin_libcuda.cpp" -ldl >"$log" 2>&1 \
        && g++ -std=c++17 -O2 -fno-omit-frame-pointer -fPIC -shared -o "$emulator/libhanul_kernels_emu.so" \
            "$emu_src/kernels_emu.cpp" "$emu_src/emu_runtime.cpp" >>"$log" 2>&1; then
        echo "$key" > "$emulator/emulator.key"
        status emulator built
    else
        rm -f "$emulator/libcuda.so.1" "$emulator/emulator.key"
        status emulator "not built: g++ failed (see $log)"; cat "$log" >&2
    fi
}

build_kernels() {
    local out=$classes/dev/hanul/engine/backend/cuda ver=13.0.88 runtime_ver=13.0.96
    local tools=${HANUL_CUDA_WHEELS:-$HOME/.cache/hanul/cuda-wheels-$ver}
    local key; key=$(stamp "$src"/*)
    if [[ -f $emulator/kernels.key && $(cat "$emulator/kernels.key") == "$key" && -f $out/hanul_kernels.fatbin ]]; then
        return
    fi
    if [[ ! -x $tools/nvidia/cu13/bin/nvcc ]]; then
        command -v g++ >/dev/null || { status kernels "not built: nvcc needs g++ as host compiler"; return; }
        echo "build-cuda: installing nvcc $ver (PyPI wheels) into $tools"
        if ! timeout 600 python3 -m pip install --quiet --disable-pip-version-check --no-deps --target "$tools" \
                nvidia-cuda-nvcc==$ver nvidia-nvvm==$ver nvidia-cuda-crt==$ver \
                nvidia-cuda-runtime==$runtime_ver >"$emulator/kernels-install.log" 2>&1; then
            rm -rf "$tools"
            status kernels "not built: could not install nvcc from PyPI (see $emulator/kernels-install.log)"; return
        fi
        chmod +x "$tools"/nvidia/cu13/bin/* "$tools"/nvidia/cu13/nvvm/bin/* 2>/dev/null
    fi
    mkdir -p "$out"
    local log=$emulator/kernels-build.log
    if "$tools/nvidia/cu13/bin/nvcc" -std=c++17 -O3 -lineinfo -fatbin \
            -gencode arch=compute_80,code=sm_80 -gencode arch=compute_90,code=sm_90 \
            -gencode arch=compute_80,code=compute_80 \
            -o "$out/hanul_kernels.fatbin" "$src/hanul_kernels.cu" >"$log" 2>&1; then
        "$tools/nvidia/cu13/bin/nvcc" -std=c++17 -O3 -arch=sm_90 -cubin -Xptxas -v -o /dev/null \
            "$src/hanul_kernels.cu" >"$emulator/kernels-resource-usage.txt" 2>&1 || true
        echo "$key" > "$emulator/kernels.key"
        status kernels built
    else
        rm -f "$out/hanul_kernels.fatbin" "$emulator/kernels.key"
        status kernels "not built: nvcc failed (see $log)"; cat "$log" >&2
    fi
}

build_emulator
build_kernels
exit 0
