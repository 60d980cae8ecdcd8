"""Side-by-side table of `joule bench --json` and bench/torch_engine.py --json: ratios of medians.

Usage: python3 bench/compare.py JOULE.json TORCH.json
"""
import json
import sys

joule = {r["name"]: r for r in json.load(open(sys.argv[1]))["results"]}
torch = {r["name"]: r for r in json.load(open(sys.argv[2]))["results"]}
print(f"| benchmark | Joule median ms | PyTorch median ms | Joule / PyTorch |")
print(f"|---|---|---|---|")
for name, j in joule.items():
    t = torch.get(name) or torch.get(name.replace(".engine.", ".torch."))
    if t is None:
        continue
    print(f"| {name} | {j['median_ms']:.3f} | {t['median_ms']:.3f} | {j['median_ms'] / t['median_ms']:.2f}× |")
for n in (256, 512, 1024):
    e, c = joule.get(f"gemm.engine.{n}"), joule.get(f"gemm.cblas.{n}")
    if e and c:
        print(f"| gemm.engine.{n} / gemm.cblas.{n} (GFLOP/s) | {e['gflops']:.1f} | {c['gflops']:.1f} (cblas) | {e['gflops'] / c['gflops'] * 100:.0f}% of raw |")
