#!/usr/bin/env bash
# Installs the Debian packages Joule needs, if any are missing (Debian 12 / Ubuntu, as root).
# Elsewhere, or without root, it names the missing packages and stops.
# Usage: scripts/install-deps.sh [--with-chromium]
#   --with-chromium   also Chromium, which `make demo` opens its report in (scripts/check-report.sh)
set -euo pipefail

packages=(
  pkg-config          # SwiftPM finds the C libraries through it
  libopenblas-dev     # GEMM (cblas_sgemm)
  libdnnl-dev         # oneDNN 2.x: convolutions
  libpng-dev          # PNG images
  zlib1g-dev          # gzip (IDX datasets)
  libsqlite3-dev      # the run store
  dataset-fashion-mnist  # Fashion-MNIST in /usr/share/datasets/fashion-mnist
  sqlite3             # scripts/crash-check.sh: PRAGMA integrity_check on the run store
  python3             # scripts/crash-check.sh: checks that a checkpoint file is whole
  tmux                # the progress bar's test on an 80-column terminal
)
if [ "${1:-}" = --with-chromium ]; then
  packages=(chromium)   # the demo's report check; the rest is installed by `make deps` before it
elif [ $# -gt 0 ]; then
  echo "usage: $0 [--with-chromium]" >&2
  exit 2
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "error: no Swift toolchain on PATH; Joule needs Swift 6 (https://www.swift.org/install/linux/)" >&2
  exit 1
fi

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
else
  missing=("${packages[@]}")
fi
[ ${#missing[@]} -eq 0 ] && exit 0

distro=$( (. /etc/os-release 2>/dev/null && echo "${ID:-} ${ID_LIKE:-}") || true)
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1 && [[ "$distro" == *debian* || "$distro" == *ubuntu* ]]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi

echo "error: Joule needs these packages, which are not installed: ${missing[*]}" >&2
echo "On Debian 12 / Ubuntu, as root: apt-get install ${missing[*]}" >&2
echo "Elsewhere install the equivalents: OpenBLAS, oneDNN 2.x (DNNL), libpng, zlib, SQLite 3 (with headers), pkg-config," >&2
echo "and the Fashion-MNIST IDX files (then set JOULE_FASHION_MNIST_DIR)." >&2
exit 1
