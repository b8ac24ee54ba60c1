#!/usr/bin/env bash
# Video benchmarks, side by side with PyTorch 2.13 in one run. So far: the MobileNetV2 frame encoder,
# frames/s to the last feature map on the same weights (Plugins/Video/Resources/mobilenetv2_imagenet)
# and shapes, 2 threads each, PyTorch eager and torch.compile; best of the runs per side.
#
#   ./scripts/bench-video.sh [--runs N]
#
# Sets up the reference itself: a venv (.bench-venv-torch2) with torch 2.13.0+cpu and safetensors from PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=2
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    *) echo "bench-video.sh: unknown option $1 (--runs N)" >&2; exit 2 ;;
  esac
done
./scripts/install-deps.sh
venv=.bench-venv-torch2
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import torch, safetensors" 2>/dev/null || "$venv/bin/pip" install -q "torch==2.13.0+cpu" safetensors numpy
swift build -c release --product SequoiaBench >/dev/null
bin="$(swift build -c release --show-bin-path)"
export SEQUOIA_NUM_THREADS=2 OMP_NUM_THREADS=2
weights=Plugins/Video/Resources/mobilenetv2_imagenet
out="${TMPDIR:-/tmp}/sequoia-bench-video.jsonl"
: >"$out"
for run in $(seq "$runs"); do
  for shape in "8 224" "1 224" "8 112"; do
    set -- $shape
    echo "{\"side\": \"sequoia\", \"run\": $run, \"result\": $("$bin/SequoiaBench" encoder --weights "$weights" --batch "$1" --size "$2")}" >>"$out"
    "$venv/bin/python" scripts/bench/torch_mobilenet.py --weights "$weights" --batch "$1" --size "$2" 2>/dev/null \
      | sed "s/^/{\"side\": \"pytorch\", \"run\": $run, \"result\": /; s/\$/}/" >>"$out"
  done
done
"$venv/bin/python" - "$out" <<'PY'
import json, sys
best = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    res = r["result"]
    if "frames_per_s" not in res:
        continue
    key = (res["batch"], res["size"], r["side"] if r["side"] == "sequoia" else "pytorch " + res["mode"])
    best[key] = max(best.get(key, 0), res["frames_per_s"])
print("| batch | size | Sequoia frames/s | PyTorch eager | PyTorch compiled | Sequoia / best PyTorch |")
print("| --- | --- | --- | --- | --- | --- |")
for batch, size in sorted({(b, s) for b, s, _ in best}, key=lambda k: (-k[1], -k[0])):
    ours, eager, compiled = (best.get((batch, size, k), 0) for k in ("sequoia", "pytorch eager", "pytorch compiled"))
    print(f"| {batch} | {size} | {ours:.1f} | {eager:.1f} | {compiled:.1f} | {ours / max(eager, compiled):.2f}x |")
PY
