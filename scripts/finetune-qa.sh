#!/usr/bin/env bash
# A LoRA fine-tune for short extractive answers, measured through the RAG path before and after (issue 22; the run
# is in docs/benchmarks.md, "Fine-tuning SmolLM2 for short answers"):
#   1. the held-out set: the SQuAD 2.0 sample under src/test/resources/eval/squad2-sample (87 paragraphs, 164
#      questions) ingested into a tenant, and its questions with their reference answers as an evaluation dataset;
#   2. the base model answers them through the RAG path (hybrid retrieval, TOP_K passages, greedy, 48 tokens);
#   3. a fine-tuning job on SQuAD-format training data (scripts/qa-finetune-data.py: the gold paragraph and one other
#      paragraph of its article as sources, in rag-default v3's layout), with the job's own evaluation before and
#      after on its validation split;
#   4. the adapter answers the same questions the same way; `bin/hanul eval compare` prints both runs' means, the
#      differences and their paired p-values.
#
#   scripts/finetune-qa.sh SQUAD_FORMAT_FILE [MODEL]      (e.g. XQuAD's xquad.en.json)
#   EXAMPLES=360 EPOCHS=1 BATCH=4 LR_MULTIPLIER=1.5 TOP_K=3 PORT=18080 scripts/finetune-qa.sh xquad.en.json
set -euo pipefail

HANUL_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
squad=${1:?"usage: $0 SQUAD_FORMAT_FILE [MODEL]"}
model=${2:-$HANUL_HOME/models/SmolLM2-135M-Instruct.Q4_1.gguf}
examples=${EXAMPLES:-360}
top_k=${TOP_K:-3}
port=${PORT:-$((20000 + RANDOM % 20000))}
# shellcheck source=scripts/lib/serve-and-measure.sh
source "$HANUL_HOME/scripts/lib/serve-and-measure.sh"
work=$(mktemp -d)
server=
trap '[[ -n $server ]] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
# The run takes about an hour: Ctrl-C or a timeout must stop the service too (bash runs EXIT traps only on exit).
trap 'exit 130' INT
trap 'exit 143' TERM
url=http://localhost:$port
hanul() { "$HANUL_HOME/bin/hanul" "$@"; }
sample=$HANUL_HOME/src/test/resources/eval/squad2-sample

# The sample's two articles are in XQuAD too: they are left out of the training data.
python3 "$HANUL_HOME/scripts/qa-finetune-data.py" "$squad" "$work/train.jsonl" --examples "$examples" \
    --exclude Normans,Computational_complexity_theory
# A validation pass (24 examples) at every 27th step rather than every 10th: each pass is a forward run over them.
serve qa "$(offline_embedding_setting)" --hanul.finetune.checkpoint-every=27 --hanul.finetune.max-validation-examples=24

hanul eval dataset --url "$url" --name squad2-sample --tenant squad --beir "$sample" --ingest-corpus
dataset=$(hanul eval dataset --url "$url" --name squad2-answers --tenant squad --jsonl "$sample/questions.jsonl" \
    | sed -nE 's/^dataset ([^:]+):.*/\1/p')
run() { # $1 = run name, $2 = model; prints the run's id once it has finished
    hanul eval run --url "$url" --dataset "$dataset" --top-k "$top_k" --max-tokens 48 --name "$1" --model "$2" \
        --wait >"$work/run-$1.log"
    sed -nE 's/^run ([^ ]+)$/\1/p' "$work/run-$1.log" | head -n 1
}
base=$(run base default)

started=$(date +%s)
hanul finetune create "$work/train.jsonl" --url "$url" --model default --epochs "${EPOCHS:-1}" \
    --batch-size "${BATCH:-4}" --learning-rate-multiplier "${LR_MULTIPLIER:-1.5}" --seed 42 --suffix qa \
    --evaluate validation --evaluation-max-tokens 48 --follow | tee "$work/job.log"
echo "job: $(( $(date +%s) - started )) s, evaluations included"
adapter=$(sed -nE 's/^ftjob-.*, model (ft-[^ ,]+)$/\1/p' "$work/job.log" | tail -n 1)
[[ -n $adapter ]] || { echo "the job did not name its fine-tuned model" >&2; exit 1; }
tuned=$(run fine-tuned "$adapter")
hanul eval compare --url "$url" "$base" "$tuned"
