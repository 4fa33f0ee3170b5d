#!/usr/bin/env bash
# What monitoring costs the serving path: starts the service alternately with monitoring on (metrics, interaction
# log, quality scores, tracing at Spring Boot's default sampling) and off (hanul.monitoring.enabled=false,
# management.tracing.enabled=false), runs the same `bin/hanul bench load` against each, and prints output tokens/s and
# TTFT p50 per round and the on/off ratios of their medians. One service at a time, so both get the same cores.
#
#   scripts/monitoring-overhead.sh [MODEL] [ROUNDS]      (defaults: SmolLM2-135M-Instruct, 3)
#   CONCURRENCY=8 REQUESTS=32 MAX_TOKENS=64 PORT=18080 scripts/monitoring-overhead.sh   (default port: a random one)
# SETTINGS adds service settings to both runs; by default the embedding model (which the quality scores use) is the
# converted multilingual-e5 (models/offline/e5-onnx/model-int8.onnx) when it is there (.ci/run makes it), else the bundled
# English one, so that nothing is downloaded.
set -euo pipefail

HANUL_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
model=${1:-SmolLM2-135M-Instruct}
rounds=${2:-3}
concurrency=${CONCURRENCY:-8}
requests=${REQUESTS:-32}
max_tokens=${MAX_TOKENS:-64}
port=${PORT:-$((20000 + RANDOM % 20000))}
# shellcheck source=scripts/lib/serve-and-measure.sh
source "$HANUL_HOME/scripts/lib/serve-and-measure.sh"
SETTINGS=${SETTINGS:-$(offline_embedding_setting)}
work=$(mktemp -d)
server=
trap '[[ -n $server ]] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT

start() { # $1 = on|off
    local -a settings
    read -r -a settings <<<"$SETTINGS"
    [[ $1 == off ]] && settings+=(--hanul.monitoring.enabled=false --management.tracing.enabled=false)
    serve "$1" "${settings[@]}"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "# Monitoring overhead: $model, $concurrency concurrent, $requests requests of $max_tokens tokens, $(date -u +%F)"
echo "| round | mode | output tokens/s | TTFT p50 ms |"
echo "|---|---|---|---|"
for round in $(seq "$rounds"); do
    # Alternate which goes first, so that a drift of the machine's speed hits both alike.
    if (( round % 2 )); then modes=(on off); else modes=(off on); fi
    for mode in "${modes[@]}"; do
        start "$mode"
        measure >/dev/null # warm-up: JIT and the prefix cache
        read -r tps ttft < <(measure)
        stop
        echo "| $round | $mode | $tps | $ttft |"
        echo "$tps" >>"$work/tps-$mode"
        echo "$ttft" >>"$work/ttft-$mode"
    done
done
tps_on=$(median <"$work/tps-on"); tps_off=$(median <"$work/tps-off")
ttft_on=$(median <"$work/ttft-on"); ttft_off=$(median <"$work/ttft-off")
echo
echo "median output tokens/s: on $tps_on, off $tps_off, on/off $(awk -v a="$tps_on" -v b="$tps_off" 'BEGIN { printf "%.3f", a / b }')"
echo "median TTFT p50 ms:     on $ttft_on, off $ttft_off, on/off $(awk -v a="$ttft_on" -v b="$ttft_off" 'BEGIN { printf "%.3f", a / b }')"
