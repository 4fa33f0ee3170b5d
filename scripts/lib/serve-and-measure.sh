# shellcheck shell=bash
# What the side-by-side serving scripts share (monitoring-overhead.sh, finetune-serving.sh): start the service on
# $port with $model and a data directory of its own under $work, wait until it is ready, stop it, and measure it with
# `bin/hanul bench load` ($concurrency, $requests, $max_tokens). Sourced; the caller sets those variables, HANUL_HOME
# and `server=` with a trap that kills "$server" on exit.

# The embedding model for a run that downloads nothing: the converted multilingual-e5 when .ci/run has made it, else
# the bundled English one.
offline_embedding_setting() {
    if [[ -f $HANUL_HOME/models/offline/e5-onnx/model-int8.onnx ]]; then
        echo "--hanul.embedding.path=$HANUL_HOME/models/offline/e5-onnx/model-int8.onnx"
    else
        echo "--hanul.embedding.model=all-MiniLM-L6-v2"
    fi
}

# serve NAME [SETTING...]: the service with security off and the given settings; its log is $work/serve-NAME.log.
serve() {
    local name=$1
    shift
    "$HANUL_HOME/bin/hanul" serve --port "$port" --model "$model" --data-dir "$work/data-$name" \
        --hanul.security.enabled=false "$@" >"$work/serve-$name.log" 2>&1 &
    server=$!
    for _ in $(seq 600); do
        curl -fs "http://localhost:$port/actuator/health/readiness" >/dev/null 2>&1 && return 0
        kill -0 "$server" 2>/dev/null || {
            grep -A12 -E "APPLICATION FAILED|Caused by" "$work/serve-$name.log" | head -20 >&2; exit 1; }
        sleep 0.5
    done
    echo "the service did not become ready; see $work/serve-$name.log" >&2
    exit 1
}

stop() {
    kill "$server" && wait "$server" 2>/dev/null || true
    server=
}

# Prints "tokens/s ttft_p50_ms" from bench load's table row; fails when a request failed.
measure() {
    "$HANUL_HOME/bin/hanul" bench load --url "http://localhost:$port" --concurrency "$concurrency" \
        --requests "$requests" --max-tokens "$max_tokens" | awk -F'|' '/^\| [0-9]/ {
            if ($3 + 0 != 0) { print "failed requests:" $3 "(bench load lists why)" > "/dev/stderr"; exit 1 }
            ttft = $7; sub(/ ms/, "", ttft); printf "%.2f %.1f\n", $6, ttft }'
}
