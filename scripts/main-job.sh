#!/usr/bin/env bash
# The main job on bundled real data: pretrain the tiny HyenaDNA model on the E. coli 536 genome
# (first 90% of the chromosome) for a few minutes, then report held-out bits per nucleotide on
# the last 10% beside an order-k Markov baseline fitted on the same training part.
# Re-running continues the same run (--resume) for another few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
swift build -c release --product sequoia
bin=$(swift build -c release --show-bin-path)/sequoia
genome=Tests/Data/dna/ecoli536_NC_008253.fna.gz
"$bin" genomics train --config configs/genomics/hyenadna-tiny-1k.json --fasta "$genome" \
  --out runs/ecoli536-tiny --resume --max-minutes "${MINUTES:-4}"
"$bin" genomics eval --model runs/ecoli536-tiny --fasta "$genome"
