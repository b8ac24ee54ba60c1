#!/usr/bin/env bash
# Builds an outside Sequoia plugin (Swift sources defining a DomainPlugin and exporting
# `sequoia_plugin_create`) into a shared library that `sequoia --plugin LIB.so` loads.
#
#   scripts/build-plugin.sh [-c release|debug] -o libMyPlugin.so MyPlugin/*.swift
#
# The library is compiled against the modules of this checkout's build of `sequoia` (build it first with
# `swift build -c <config>`) and does not link them: at load time its references resolve to the
# executable's own SequoiaKit, so plugin and CLI share one registry and one set of types.
set -euo pipefail

config=release
out=
while [ $# -gt 0 ]; do
  case "$1" in
    -c) config="$2"; shift 2 ;;
    -o) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) break ;;
  esac
done
if [ -z "$out" ] || [ $# -eq 0 ]; then
  echo "usage: scripts/build-plugin.sh [-c release|debug] -o LIB.so SOURCES.swift..." >&2
  exit 2
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/.build/$config"
if [ ! -x "$build/sequoia" ] || [ ! -d "$build/Modules" ]; then
  echo "build-plugin: $build/sequoia not found; run 'swift build -c $config' first" >&2
  exit 1
fi

# The C modules the Sequoia modules import, and their headers' include paths.
flags=(-I "$build/Modules")
for m in "$root"/Sources/C*/module.modulemap; do
  flags+=(-Xcc "-fmodule-map-file=$m")
done
libs="openblas fftw3f htslib hdf5 libavformat libzstd snappy zlib"
for f in $(pkg-config --cflags-only-I $libs); do flags+=(-Xcc "$f"); done
for f in $(pkg-config --libs-only-L $libs); do flags+=("$f"); done
optimize=-O
[ "$config" = debug ] && optimize=-Onone
module="$(basename "$out" .so)"
module="${module#lib}"

tmp="$(mktemp "$(dirname "$out")/.build-plugin.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
swiftc -emit-library -parse-as-library -language-mode 5 "$optimize" -module-name "$module" \
  "${flags[@]}" "$@" -o "$tmp"
mv "$tmp" "$out"
trap - EXIT
