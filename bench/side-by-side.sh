#!/usr/bin/env bash
# Runs `joule bench` and the PyTorch reference back to back, ROUNDS times, then prints the
# side-by-side table of BENCHMARKS.md. Each side waits for a quiet machine (shared guard).
# Usage: bench/side-by-side.sh [ROUNDS] [OUT_DIR]      (needs ../shared/bench/setup.sh once)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
out=${2:-/tmp/joule-side-by-side}
shared=../shared/bench
py=/tmp/joule-reference-venv/bin/python
[ -x "$py" ] || "$shared/setup.sh"
swift build -c release >/dev/null
mkdir -p "$out"
rm -f "$out"/joule-*.json "$out"/torch-*.json
for n in $(seq 1 "$rounds"); do
  "$py" "$shared/guard.py" --tries 5 -- .build/release/joule bench --json --seconds 3 | grep -v -e '^# guard' -e '^ *\[guard\]' > "$out/joule-$n.json"
  "$py" bench/torch_engine.py --shared "$shared" --json "$out/torch-$n.json" > "$out/torch-$n.log" 2>&1
  echo "round $n done" >&2
done
"$py" -c 'import torch; print("torch", torch.__version__)'
echo "OpenBLAS core: $(grep -o '"openblas_core" : "[^"]*"' "$out/joule-1.json" || true)"
python3 bench/compare.py "$out"
