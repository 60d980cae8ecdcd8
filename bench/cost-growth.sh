#!/usr/bin/env bash
# How a JEM iteration's cost grows (issue 10): time per iteration against batch size, SGLD
# steps and model width (`joule bench --filter growth.jem`), and peak resident memory against
# replay-buffer size and batch (each `growth.memory.*` row in its own process; its peak
# resident size from getrusage). Prints the tables of BENCHMARKS.md "How cost grows".
# Usage: bench/cost-growth.sh [OUT_DIR]        (about 8 minutes on the project's machine)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/joule-cost-growth}
mkdir -p "$out"
swift build -c release >/dev/null
joule=.build/release/joule
"$joule" bench --filter growth.jem --seconds 1 --json > "$out/time.json"
: > "$out/memory.tsv"
# CostGrowthBenchmarks.bufferSizes × memoryBatches:
for buffer in 1000 10000 50000 100000; do
  for batch in 16 64 256; do
    name="growth.memory.cnn-s.buffer$buffer.b$batch"
    kb=$(python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$joule" bench --filter "$name" --seconds 0.5)
    printf '%s\t%s\t%s\n' "$buffer" "$batch" "$kb" >> "$out/memory.tsv"
  done
done
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
rows = {r["name"]: r["median_ms"] for r in json.load(open(f"{out}/time.json"))["results"]}
# The axes as the rows name them: growth.jem.MODEL.bBATCH.kSTEPS.
jem = [name.split(".")[2:] for name in rows]
def axis(model, fixed, index):
    return sorted({int(parts[index][1:]) for parts in jem if parts[0] == model and parts[3 - index] == fixed})
def table(title, keys, label):
    print(f"\n{title}\n\n| {label} | " + " | ".join(m for m, _ in keys[0][1]) + " |")
    print("|---|" + "---|" * len(keys[0][1]))
    for value, names in keys:
        cells = [f"{rows[n]:.1f} ms" if n in rows else "-" for _, n in names]
        print(f"| {value} | " + " | ".join(cells) + " |")
models = ["mlp", "cnn-s", "cnn-s-bf16"]  # cnn-s-bf16: the SGLD convolutions in bfloat16 (JEM's default)
table("Time per JEM iteration against batch size (20 SGLD steps)",
      [(b, [(m, f"growth.jem.{m}.b{b}.k20") for m in models]) for b in axis("cnn-s", "k20", 1)], "batch")
table("Time per JEM iteration against SGLD steps (batch 64)",
      [(k, [(m, f"growth.jem.{m}.b64.k{k}") for m in models]) for k in axis("cnn-s", "b64", 2)], "SGLD steps")
widths = sorted({int(parts[0].split("-")[2]) for parts in jem if parts[0].startswith("wrn-16-")})
table("Time per JEM iteration against width (wrn-16-W, batch 64, 5 SGLD steps)",
      [(f"wrn-16-{w}", [("float32", f"growth.jem.wrn-16-{w}.b64.k5"), ("bf16 sampler", f"growth.jem.wrn-16-{w}-bf16.b64.k5")])
       for w in widths], "model")
mem = {}
for line in open(f"{out}/memory.tsv"):
    buffer, batch, kb = line.split()
    mem[(int(buffer), int(batch))] = int(kb) / 1024
batches = sorted({b for _, b in mem})
print("\nPeak resident memory, cnn-s JEM (20 SGLD steps), one process per cell\n")
print("| replay buffer | " + " | ".join(f"batch {b}" for b in batches) + " |")
print("|---|" + "---|" * len(batches))
for buffer in sorted({s for s, _ in mem}):
    print(f"| {buffer:,} | " + " | ".join(f"{mem[(buffer, b)]:.0f} MiB" for b in batches) + " |")
PY
