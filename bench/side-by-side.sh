#!/usr/bin/env bash
# Runs `joule bench`, the PyTorch reference and JAX's jit on the mlp back to back, ROUNDS
# times, then prints the side-by-side table of BENCHMARKS.md. Each side waits for a quiet
# machine (shared guard).
# Usage: bench/side-by-side.sh [ROUNDS] [OUT_DIR]      (needs ../shared/bench/setup.sh once)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
out=${2:-/tmp/joule-side-by-side}
shared=../shared/bench
py=/tmp/joule-reference-venv/bin/python
"$py" -c 'import torch, jax' 2>/dev/null || "$shared/setup.sh" --with-jax
swift build -c release >/dev/null
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out"/joule-*.json "$out"/torch-*.json "$out"/jax-*.json
for n in $(seq 1 "$rounds"); do
  "$py" "$shared/guard.py" --tries 5 -- .build/release/joule bench --json --seconds 3 | grep -v -e '^# guard' -e '^ *\[guard\]' > "$out/joule-$n.json"
  "$py" bench/torch_engine.py --shared "$shared" --json "$out/torch-$n.json" > "$out/torch-$n.log" 2>&1
  (cd "$shared" && "$py" jax_ref.py --models mlp --json "$out/jax-$n.json") > "$out/jax-$n.log" 2>&1
  echo "round $n done" >&2
done
"$py" -c 'import torch, jax; print("torch", torch.__version__, "jax", jax.__version__)'
echo "OpenBLAS core: $(grep -o '"openblas_core" : "[^"]*"' "$out/joule-1.json" || true)"
python3 bench/compare.py "$out"
