#!/usr/bin/env bash
# Before/after check for a change that should not alter speed: builds REV (default HEAD~1) in a
# temporary worktree beside this checkout's build, then measures both, interleaved, best of --rounds
# (default 3) per side: SequoiaBench backbone forward/train for each family at 1k and 4k tokens, and
# `sequoia ehr train` events/s (100 steps, configs/ehr/*-small.json) on the bundled Eunomia cohort.
# Prints a Markdown table. Interleaving matters: on a shared machine, load drifts over minutes.
#
#   ./scripts/bench-ab.sh [REV] [--rounds N]
set -euo pipefail
cd "$(dirname "$0")/.."
rev=HEAD~1 rounds=3
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) rev="$1"; shift ;;
  esac
done
./scripts/install-deps.sh
work="${TMPDIR:-/tmp}/sequoia-bench-ab"
rm -rf "$work" && mkdir -p "$work"
git worktree add -q --detach "$work/before" "$rev"
trap 'git worktree remove --force "$work/before"' EXIT
for root in "$work/before" .; do
  (cd "$root" && swift build -c release --product SequoiaBench >/dev/null && swift build -c release --product sequoia >/dev/null)
done
export SEQUOIA_NUM_THREADS=2
events=Tests/Data/ehr/eunomia/meds_events.parquet
results="$work/results.txt"
for round in $(seq "$rounds"); do
  for arch in mamba hyena attention; do
    for mode in forward train; do
      for length in 1024 4096; do
        for side in before after; do
          root=.; [ "$side" = before ] && root="$work/before"
          tps=$("$root/.build/release/SequoiaBench" backbone --arch "$arch" --mode "$mode" --length "$length" --min-seconds 1.5 \
            | sed -nE 's/.*"tokens_per_s":([0-9.]+).*/\1/p')
          echo "$arch $mode $length $side $tps" >>"$results"
        done
      done
    done
    sed -E 's/"eval_every": *[0-9]+/"eval_every": 0/; s/"checkpoint_every": *[0-9]+/"checkpoint_every": 0/' \
      "configs/ehr/$arch-small.json" >"$work/$arch.json"
    for side in before after; do
      root=.; [ "$side" = before ] && root="$work/before"
      rm -rf "$work/run"
      eps=$("$root/.build/release/sequoia" ehr train --config "$work/$arch.json" --events "$events" --out "$work/run" --steps 100 \
        2>/dev/null | sed -nE 's/.* s: ([0-9.]+) events\/s/\1/p')
      echo "ehr-$arch train - $side $eps" >>"$results"
    done
  done
done
echo "Before: $(git rev-parse --short "$rev"); after: the working tree. Best of $rounds interleaved runs per side, 2 threads."
echo
echo "| model | mode | L | before (tokens/s; EHR: events/s) | after | after / before |"
echo "| --- | --- | --- | --- | --- | --- |"
awk '{ k = $1 " " $2 " " $3; if ($5 > best[k " " $4]) best[k " " $4] = $5; keys[k] = 1 }
     END { for (k in keys) { split(k, p, " "); b = best[k " before"]; a = best[k " after"];
           printf "| %s | %s | %s | %.0f | %.0f | %.2fx |\n", p[1], p[2], p[3], b, a, (b > 0 ? a / b : 0) } }' "$results" | sort
