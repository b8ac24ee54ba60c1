#!/usr/bin/env bash
# Installs every Debian package Sequoia needs. Idempotent and non-interactive:
# when all packages are present it does nothing (no apt-get update, no root needed).
set -euo pipefail

packages=(
  pkg-config
  libopenblas-dev      # GEMM (cblas_sgemm)
  libfftw3-dev         # real FFT (fftw3f) for Hyena's long convolutions
  libhts-dev           # FASTA / faidx / bgzip
  libhdf5-dev          # embeddings output
  libavformat-dev libavcodec-dev libswscale-dev libavutil-dev  # video decoding
  libzstd-dev libsnappy-dev zlib1g-dev  # Parquet pages (ZSTD, Snappy, gzip) read by our own reader
  python3-h5py         # tests read HDF5 outputs back the way users do
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
