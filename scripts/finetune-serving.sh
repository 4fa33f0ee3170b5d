#!/usr/bin/env bash
# What a fine-tuning job does to serving, and serving to the job: starts the service, and runs the same
# `bin/hanul bench load` with no job (idle), then while a LoRA job trains with training paused while serving has
# requests running or waiting (pause: hanul.finetune.pause-while-serving=true, the default), then with both sharing
# the cores (share: =false). Prints output tokens/s and TTFT p50 per mode, and the training steps the job made
# during the measurement. One service per mode, so each starts from the same state.
#
#   scripts/finetune-serving.sh [MODEL]        (default: models/SmolLM2-135M-Instruct.Q4_1.gguf)
#   CONCURRENCY=4 REQUESTS=16 MAX_TOKENS=32 PORT=18080 scripts/finetune-serving.sh
set -euo pipefail

HANUL_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
model=${1:-$HANUL_HOME/models/SmolLM2-135M-Instruct.Q4_1.gguf}
concurrency=${CONCURRENCY:-4}
requests=${REQUESTS:-16}
max_tokens=${MAX_TOKENS:-32}
port=${PORT:-$((20000 + RANDOM % 20000))}
# shellcheck source=scripts/lib/serve-and-measure.sh
source "$HANUL_HOME/scripts/lib/serve-and-measure.sh"
embedding=$(offline_embedding_setting)
work=$(mktemp -d)
server=
trap '[[ -n $server ]] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
url=http://localhost:$port

# Short question/answer conversations, enough for a job that outlasts the measurement.
for i in $(seq 200); do
    echo "{\"messages\": [{\"role\": \"user\", \"content\": \"What is $i plus $i?\"}, {\"role\": \"assistant\", \"content\": \"$((i + i)).\"}]}"
done >"$work/sums.jsonl"

start() { # $1 = mode
    local pause=true
    [[ $1 == share ]] && pause=false
    serve "$1" "$embedding" --hanul.finetune.pause-while-serving=$pause
}

steps() { curl -fs "$url/v1/fine_tuning/jobs/$1" | sed -E 's/.*"completed_steps":([0-9]+).*/\1/'; }

echo "# Fine-tuning beside serving: $(basename "$model"), $concurrency concurrent, $requests requests of $max_tokens tokens, $(date -u +%F)"
echo "| mode | output tokens/s | TTFT p50 ms | training steps during the load | seconds |"
echo "|---|---|---|---|---|"
for mode in idle pause share; do
    start "$mode"
    measure >/dev/null # warm-up: JIT and the prefix cache
    job=
    if [[ $mode != idle ]]; then
        file=$(curl -fs -F purpose=fine-tune -F "file=@$work/sums.jsonl" "$url/v1/files" | sed -E 's/.*"id":"([^"]+)".*/\1/')
        job=$(curl -fs -H 'Content-Type: application/json' "$url/v1/fine_tuning/jobs" -d "{\"model\": \"default\",
            \"training_file\": \"$file\", \"hyperparameters\": {\"n_epochs\": 10, \"batch_size\": 1}, \"seed\": 1}" \
            | sed -E 's/.*"id":"(ftjob-[^"]+)".*/\1/')
        [[ $job == ftjob-* ]] || { echo "the job was not created: $job" >&2; exit 1; }
        until [[ $(steps "$job") -ge 2 ]]; do sleep 0.5; done # training is under way
    fi
    before=$([[ -n $job ]] && steps "$job" || echo 0)
    started=$(date +%s.%N)
    read -r tps ttft < <(measure)
    seconds=$(echo "$(date +%s.%N) - $started" | bc)
    after=$([[ -n $job ]] && steps "$job" || echo 0)
    [[ -n $job ]] && curl -fs -X POST "$url/v1/fine_tuning/jobs/$job/cancel" >/dev/null
    stop
    printf "| %s | %s | %s | %s | %.0f |\n" "$mode" "$tps" "$ttft" "$([[ -n $job ]] && echo $((after - before)) || echo -)" "$seconds"
done
