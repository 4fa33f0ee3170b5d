#!/usr/bin/env bash
# Prepares, on a machine without a GPU, everything gpu-check.sh needs on a GPU machine (which has no Java and no
# network), in the git-ignored folder .gpu/ (under 64 MiB, so the device tool can carry it):
#   .gpu/jrt.tgz        a jlinked Java 25 runtime (java.base, java.logging, java.management, jdk.management,
#                       jdk.incubator.vector, jdk.unsupported; java.xml for the JUnit reports)
#   .gpu/lib/           the engine's classes with the compiled kernels (engine.jar), the CUDA tests (tests.jar), and
#                       JUnit's console launcher + AssertJ to run them
#   .gpu/models/        stories260K (the golden-text test); SmolLM2's file is too large to carry, its test skips
#   .gpu/emulator/      the stand-in driver, for the dry run here only
#   .gpu/gpu-check.sh
# Run from the repository root:  bash gpu-engine/scripts/prepare-gpu-check.sh
# Then here:                     GPU_CHECK_DRY=1 bash .gpu/gpu-check.sh      (the same steps on the stand-in)
# And on the GPU machine:        bash .gpu/gpu-check.sh                      (OUT=dir collects the logs)
set -euo pipefail
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
junit=6.0.3 assertj=3.27.7
./mvnw -B -q test-compile
[[ $(cat target/cuda-emulator/kernels.status) == built ]] \
    || { echo "the kernels were not built: $(cat target/cuda-emulator/kernels.status)" >&2; exit 1; }
rm -rf .gpu && mkdir -p .gpu/lib .gpu/models .gpu/emulator
"$JAVA_HOME/bin/jlink" --add-modules java.base,java.logging,java.management,jdk.management,jdk.incubator.vector,jdk.unsupported,java.xml \
    --compress=zip-9 --strip-debug --no-header-files --no-man-pages --output .gpu/jrt
tar -C .gpu -czf .gpu/jrt.tgz jrt && rm -rf .gpu/jrt
"$JAVA_HOME/bin/jar" --create --file .gpu/lib/engine.jar -C target/classes dev/hanul/engine
"$JAVA_HOME/bin/jar" --create --file .gpu/lib/tests.jar -C target/test-classes dev/hanul/engine
./mvnw -B -q dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:$junit \
    -DoutputDirectory=.gpu/lib
./mvnw -B -q dependency:copy -Dartifact=org.assertj:assertj-core:$assertj -DoutputDirectory=.gpu/lib
models=../shared/models
mkdir -p .gpu/models/stories260K
cp "$models/stories260K/stories260K-f32.gguf" "$models/stories260K/expected_greedy_t0.txt" .gpu/models/stories260K/
cp target/cuda-emulator/libcuda.so.1 target/cuda-emulator/libhanul_kernels_emu.so .gpu/emulator/
cp gpu-engine/scripts/gpu-check.sh .gpu/
du -sh .gpu
