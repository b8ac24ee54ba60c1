#!/usr/bin/env bash
# Backbones side by side with PyTorch on this CPU (2 threads each). Sets up the reference
# itself: Debian's python3-torch 1.13, and transformers 4.49.0 (the newest that imports with
# it) plus mambapy in a venv that sees the system packages.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
if ! /usr/bin/python3 -c "import torch, ensurepip" 2>/dev/null; then
  sudo_cmd=(); [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends python3-torch python3-venv >/dev/null
fi
venv=.bench-venv
if [ ! -x "$venv/bin/python" ]; then
  /usr/bin/python3 -m venv --system-site-packages "$venv"
fi
"$venv/bin/python" -c "import transformers, mambapy" 2>/dev/null || "$venv/bin/pip" install -q "transformers==4.49.0" mambapy
swift build -c release --product SequoiaBench
"$venv/bin/python" scripts/bench/compare_backbones.py "$(swift build -c release --show-bin-path)/SequoiaBench" "$@"
