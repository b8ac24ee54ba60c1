#!/usr/bin/env bash
# EHR throughput side by side with PyTorch, and Parquet reading side by side with pyarrow, on the
# bundled Eunomia cohort; prints the Markdown tables of BENCHMARKS.md "EHR (issue 6)".
#
#   ./scripts/bench-ehr.sh [--steps N] [--repeat N] [--arch mamba,hyena,attention] [--no-torch] [--no-parquet]
#
# Sets up the reference itself, as bench-backbones.sh does (Debian's python3-torch 1.13; a venv with
# transformers 4.49.0, mambapy and pyarrow 18.1, the newest pyarrow that imports with Debian's NumPy 1.24).
# Each arch: `sequoia ehr train` from a fresh folder with the arch's configs/ehr/*-small.json, evaluation
# and intermediate checkpoints switched off so the printed events/s is training alone; then
# scripts/bench/torch_ehr.py trains the same model on batches of the same shapes. mamba also runs
# finetune, score and eval end to end (the quality numbers) and PyTorch's scoring of the same windows.
# Every throughput is the best of --repeat (default 2) runs, each side in its own processes.
set -euo pipefail
cd "$(dirname "$0")/.."
steps=200 repeat=2 archs=mamba,hyena,attention torch_side=1 parquet=1
while [ $# -gt 0 ]; do
  case "$1" in
    --steps) steps="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    --arch) archs="$2"; shift 2 ;;
    --no-torch) torch_side=0; shift ;;
    --no-parquet) parquet=0; shift ;;
    *) echo "bench-ehr.sh: unknown option $1 (--steps N, --repeat N, --arch LIST, --no-torch, --no-parquet)" >&2; exit 2 ;;
  esac
done

./scripts/install-deps.sh
if ! /usr/bin/python3 -c "import torch, ensurepip" 2>/dev/null; then
  sudo_cmd=(); [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends python3-torch python3-venv >/dev/null
fi
venv=.bench-venv
[ -x "$venv/bin/python" ] || /usr/bin/python3 -m venv --system-site-packages "$venv"
"$venv/bin/python" -c "import transformers, mambapy" 2>/dev/null || "$venv/bin/pip" install -q "transformers==4.49.0" mambapy
"$venv/bin/python" -c "import pyarrow" 2>/dev/null || "$venv/bin/pip" install -q "pyarrow==18.1.0"
py="$venv/bin/python"

swift build -c release --product sequoia
swift build -c release --product SequoiaBench
bin="$(swift build -c release --show-bin-path)"
export SEQUOIA_NUM_THREADS=2 OMP_NUM_THREADS=2

# The machine is shared: before each measurement, wait (up to 10 minutes) until the other processes
# leave the CPUs idle, judged from /proc/stat over 2 s (the load average lags by minutes).
busy() {
  local a b
  read -r -a a < <(head -1 /proc/stat); sleep 2; read -r -a b < <(head -1 /proc/stat)
  local idle=$(( b[4] + b[5] - a[4] - a[5] )) total=0 i
  for i in 1 2 3 4 5 6 7 8; do total=$(( total + b[i] - a[i] )); done
  echo $(( total > 0 ? 100 * (total - idle) / total : 0 ))
}
wait_quiet() {
  local tries=0 b
  while b=$(busy); [ "$b" -gt 10 ] && [ $tries -lt 300 ]; do tries=$((tries + 1)); done
  echo "$1: CPUs ${b}% busy before it, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
}

events=Tests/Data/ehr/eunomia/meds_events.parquet
labels=Tests/Data/ehr/eunomia/derived_labels_nsaid_gi_bleed_365d.csv
work="${TMPDIR:-/tmp}/sequoia-bench-ehr"
rm -rf "$work" && mkdir -p "$work"
echo "Machine: $(nproc) cores, $(uname -m); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

if [ "$parquet" = 1 ]; then
  synthetic="${TMPDIR:-/tmp}/sequoia-bench-meds-5m.parquet"
  [ -f "$synthetic" ] || "$py" scripts/bench/pyarrow_read.py generate "$synthetic" --rows 5000000
  wait_quiet "parquet read"
  echo "### Parquet read, one thread each (best of 20 after a warm-up)"
  echo
  "$py" scripts/bench/pyarrow_read.py compare "$bin/SequoiaBench" --runs 20 "$events" \
    Tests/Data/ehr/aces_meds_sample_synthetic/train/0.parquet Tests/Data/ehr/aces_meds_sample_synthetic/held_out/0.parquet \
    "$synthetic"
  echo
fi

for run in $(seq "$repeat"); do
for arch in ${archs//,/ }; do
  config="$work/$arch.json"
  "$py" - "configs/ehr/$arch-small.json" "$config" <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))
c["training"].update(eval_every=0, checkpoint_every=0)
json.dump(c, open(sys.argv[2], "w"), indent=2)
EOF
  log="$work/$arch-train.log"
  wait_quiet "sequoia $arch"
  rm -rf "$work/$arch-pre"
  "$bin/sequoia" ehr train --config "$config" --events "$events" --out "$work/$arch-pre" --steps "$steps" >"$log" 2>/dev/null
  # "training P parameters on N train-split timelines (T tokens, E events, vocabulary V) ..."
  expect=$(sed -nE 's/.* on ([0-9]+) train-split timelines \(([0-9]+) tokens, ([0-9]+) events.*/\1,\2,\3/p' "$log")
  params=$(sed -nE 's/^training ([0-9]+) parameters.*/\1/p' "$log")
  read -r ev secs evps < <(sed -nE 's/^([0-9]+) events in ([0-9.]+) s: ([0-9.]+) events\/s/\1 \2 \3/p' "$log")
  tokens=$("$py" -c "import json,sys; s=json.load(open(sys.argv[1])); print(s['tokens'], s['elapsed'])" \
    "$work/$arch-pre/checkpoint-$steps/trainer_state.json")
  echo "sequoia $arch (run $run): $params parameters, windows/tokens/events $expect; $ev events in $secs s ($evps events/s); tokens, elapsed: $tokens" >&2
  ours_score=""
  if [ "$arch" = mamba ] && [ "$run" = 1 ]; then
    "$bin/sequoia" ehr finetune --model "$work/$arch-pre" --events "$events" --labels "$labels" --out "$work/$arch-probe" \
      >"$work/$arch-finetune.log" 2>/dev/null
  fi
  if [ "$arch" = mamba ]; then
    wait_quiet "sequoia $arch score"
    "$bin/sequoia" ehr score --model "$work/$arch-probe" --events "$events" --labels "$labels" --out "$work/$arch-scores.csv" \
      >"$work/$arch-score.log" 2>/dev/null
    ours_score=$(sed -nE 's/.* in ([0-9.]+) s \(([0-9.]+) subjects\/s\).*/\2/p' "$work/$arch-score.log")
    echo "sequoia $arch score (run $run): $ours_score subjects/s" >&2
    if [ "$run" = 1 ]; then
      "$bin/sequoia" ehr eval --scores "$work/$arch-scores.csv" --labels "$labels" --events "$events" \
        --json "$work/$arch-eval.json" >"$work/$arch-eval.log" 2>/dev/null
    fi
  fi
  ref="{}"
  if [ "$torch_side" = 1 ]; then
    score_args=(); [ "$arch" = mamba ] && score_args=(--labels "$labels")
    wait_quiet "pytorch $arch"
    "$py" scripts/bench/torch_ehr.py --model "$work/$arch-pre" --events "$events" --steps "$steps" --expect "$expect" \
      "${score_args[@]}" >"$work/$arch-torch.json" 2>"$work/$arch-torch.log"
    ref=$(tail -1 "$work/$arch-torch.json")
    echo "pytorch $arch (run $run): $ref" >&2
  fi
  printf '{"arch":"%s","params":%s,"events_per_s":%s,"tokens_elapsed":"%s","score":"%s","ref":%s}\n' \
    "$arch" "$params" "$evps" "$tokens" "$ours_score" "$ref" >>"$work/runs.jsonl"
done
done
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

"$py" - "$work" "$steps" <<'EOF'
import json, os, sys
work, steps = sys.argv[1], sys.argv[2]
every = [json.loads(line) for line in open(os.path.join(work, "runs.jsonl"))]
runs = []  # per arch, in order: the best of its runs, each side and each measurement on its own
for arch in dict.fromkeys(r["arch"] for r in every):
    mine = [r for r in every if r["arch"] == arch]
    best = dict(max(mine, key=lambda r: r["events_per_s"]))
    best["score"] = max((r["score"] for r in mine if r["score"]), key=float, default="")
    best["ref"] = {}
    for key, rate in [("train", "events_per_s"), ("score", "subjects_per_s"), ("score_scan", "subjects_per_s")]:
        found = [r["ref"][key] for r in mine if key in r["ref"]]
        if found:
            best["ref"][key] = max(found, key=lambda x: x[rate])
    runs.append(best)
def ratio(a, b): return f"{a / b:.1f}x" if a and b else "-"
print(f"### Pretraining, {steps} steps of batch 8, windows of at most 512 tokens")
print()
print("| backbone | parameters | Sequoia events/s | Sequoia tokens/s | PyTorch events/s | PyTorch tokens/s | Sequoia / PyTorch |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for r in runs:
    tokens, elapsed = map(float, r["tokens_elapsed"].split())
    ours_events, ours_tokens = r["events_per_s"], tokens / elapsed
    t = r["ref"].get("train", {})
    print(f"| {r['arch']}-small | {r['params']:,} | {ours_events:,.0f} | {ours_tokens:,.0f} | "
          + (f"{t['events_per_s']:,.0f} | {t['tokens_per_s']:,.0f} | {ratio(ours_events, t['events_per_s'])} |" if t else "- | - | - |"))
print()
for r in runs:
    if not r["score"]:
        continue
    print("### Scoring (batch 32)")
    print()
    print("| backbone | labels | Sequoia subjects/s | PyTorch path | PyTorch subjects/s | Sequoia / PyTorch |")
    print("| --- | --- | --- | --- | --- | --- |")
    for key, path in [("score", "transformers eval path (sequential)"), ("score_scan", "mambapy scan, no grad")]:
        s = r["ref"].get(key)
        if s:
            print(f"| {r['arch']}-small | {s['labels']} | {float(r['score']):,.0f} | {path} | {s['subjects_per_s']:,.0f} | "
                  f"{ratio(float(r['score']), s['subjects_per_s'])} |")
    print()
    d = json.load(open(os.path.join(work, f"{r['arch']}-eval.json")))
    tuning = [l for l in open(os.path.join(work, f"{r['arch']}-finetune.log")) if l.startswith("tuning AUROC")]
    print(f"### Quality, {r['arch']}-small ({tuning[0].strip() if tuning else 'no tuning AUROC printed'})")
    print()
    print(f"Split {d['split']}: {d['rows']['evaluated']} labels, {d['rows']['positives']} positive; "
          f"{d['confidence']:.0%} bootstrap intervals, {d['replicates']} replicates.")
    print()
    print("| | AUROC | AUPRC | Brier |")
    print("| --- | --- | --- | --- |")
    for name, m in [("model (linear probe)", d["model"]), ("count baseline", d["baseline"]["metrics"])]:
        print(f"| {name} | " + " | ".join(f"{m[k]['estimate']:.3f} [{m[k]['lower']:.3f}, {m[k]['upper']:.3f}]"
                                         for k in ("auroc", "auprc", "brier")) + " |")
    print()
EOF
