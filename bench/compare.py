"""Side-by-side table of Joule and PyTorch benchmark runs: medians and ratios of medians.

Usage: python3 bench/compare.py OUT_DIR
OUT_DIR holds joule-N.json (`joule bench --json`) and torch-N.json (bench/torch_engine.py)
for rounds N = 1, 2, ...; each round ran both back to back. The table gives, per benchmark,
the median over rounds of each side's median and the median over rounds of the ratio.
"""
import glob
import json
import os
import statistics
import sys

out = sys.argv[1]
rounds = sorted(int(os.path.basename(p)[6:-5]) for p in glob.glob(os.path.join(out, "joule-*.json")))


def load(path):
    return {r["name"]: r for r in json.load(open(path))["results"]}


pairs = [(load(os.path.join(out, f"joule-{n}.json")), load(os.path.join(out, f"torch-{n}.json"))) for n in rounds]
names = list(pairs[0][0].keys())
print(f"{len(pairs)} rounds\n")
print("| benchmark | Joule median ms | PyTorch median ms | Joule / PyTorch |")
print("|---|---|---|---|")
for name in names:
    tname = name.replace(".engine.", ".torch.")
    if tname not in pairs[0][1]:
        continue
    j = [p[0][name]["median_ms"] for p in pairs]
    t = [p[1][tname]["median_ms"] for p in pairs]
    ratio = statistics.median(a / b for a, b in zip(j, t))
    print(f"| {name} | {statistics.median(j):.3f} | {statistics.median(t):.3f} | {ratio:.2f}× |")
print("\n| Joule only | median ms | GFLOP/s | note |")
print("|---|---|---|---|")
for name in names:
    j = [p[0][name] for p in pairs]
    gf = [r["gflops"] for r in j if r.get("gflops")]
    g = f"{statistics.median(gf):.1f}" if gf else "-"
    print(f"| {name} | {statistics.median(r['median_ms'] for r in j):.5g} | {g} | {j[0].get('note') or ''} |")
for n in (256, 512, 1024):
    e = [p[0][f"gemm.engine.{n}"]["gflops"] / p[0][f"gemm.cblas.{n}"]["gflops"] for p in pairs
         if f"gemm.engine.{n}" in p[0] and f"gemm.cblas.{n}" in p[0]]
    if e:
        print(f"\ngemm {n}: engine / raw cblas_sgemm GFLOP/s, median over rounds: {statistics.median(e) * 100:.0f}%", end="")
print()
