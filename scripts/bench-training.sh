#!/usr/bin/env bash
# LoRA training throughput, the JVM trainer and PyTorch + PEFT taking turns (two rounds each) on SmolLM2-135M's shape,
# so that both see the same machine load. Needs target/classes (./mvnw compile) and a Python with torch, transformers
# and peft (PYTHON, default python3).
#   scripts/bench-training.sh [sequence_length] [batch] [steps] [rank]
set -euo pipefail
cd "$(dirname "$0")/.."
length=${1:-128} batch=${2:-1} steps=${3:-3} rank=${4:-8}
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
for round in 1 2; do
    echo "## round $round"
    "$java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp target/classes \
        dev.hanul.engine.bench.TrainingBenchmark models/SmolLM2-135M-Instruct.Q4_1.gguf "$length" "$batch" "$steps" \
        "$rank" 2>&1 | grep -v '^WARNING'
    "${PYTHON:-python3}" scripts/bench-training-torch.py "$length" "$batch" "$steps" "$rank" 2 2>&1 | grep -v 'libcuda'
done
