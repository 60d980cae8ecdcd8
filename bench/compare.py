"""Side-by-side table of Joule and PyTorch benchmark runs: medians and ratios of medians.

Usage: python3 bench/compare.py OUT_DIR
OUT_DIR holds joule-N.json (`joule bench --json`), torch-N.json (bench/torch_engine.py) and,
when JAX ran, jax-N.json (../shared/bench/jax_ref.py on the mlp) for rounds N = 1, 2, ...;
each round ran them back to back. The tables give, per benchmark, the median over rounds of
each side's median and the median over rounds of the ratio.
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


def torch_row(name, tname, label):
    """A table row: Joule's `name` against PyTorch's `tname`, when PyTorch ran it."""
    if tname not in pairs[0][1]:
        return
    j = [p[0][name]["median_ms"] for p in pairs]
    t = [p[1][tname]["median_ms"] for p in pairs]
    ratio = statistics.median(a / b for a, b in zip(j, t))
    print(f"| {label} | {statistics.median(j):.3f} | {statistics.median(t):.3f} | {ratio:.2f}× |")


for name in names:
    torch_row(name, name.replace(".engine.", ".torch."), name)
# Joule's bfloat16 sampler against PyTorch's float32 iteration (issue 10's bar is against
# the reference as it is); the rows above pair it with PyTorch's own bfloat16 autocast.
for name in names:
    if name.endswith(".bfloat16_sampler"):
        torch_row(name, name[: -len(".bfloat16_sampler")], f"{name} / PyTorch float32")
# JAX's jit on the mlp: its steps a) to d) under Joule's names.
JAX_STEPS = {"train_step.mlp.b64": "a_plain_train", "jem_iteration.mlp.b64": "b_jem_iter",
             "dsm_step.mlp.b64": "c_dsm", "mlp.forward.b1000": "d_infer_b1000"}
jax_paths = [os.path.join(out, f"jax-{n}.json") for n in rounds]
if all(os.path.exists(p) for p in jax_paths):
    jax_rounds = [json.load(open(p))["results"]["mlp"] for p in jax_paths]
    print("\n| benchmark | Joule median ms | JAX jit median ms | Joule / JAX |")
    print("|---|---|---|---|")
    for name, step in JAX_STEPS.items():
        if name not in pairs[0][0] or step not in jax_rounds[0]:
            continue
        j = [p[0][name]["median_ms"] for p in pairs]
        x = [r[step]["median_s"] * 1e3 for r in jax_rounds]
        ratio = statistics.median(a / b for a, b in zip(j, x))
        print(f"| {name} | {statistics.median(j):.3f} | {statistics.median(x):.3f} | {ratio:.2f}× |")
print("\n| Joule only | median ms | GFLOP/s | note |")
print("|---|---|---|---|")
for name in names:
    j = [p[0][name] for p in pairs]
    gf = [r["gflops"] for r in j if r.get("gflops")]
    g = f"{statistics.median(gf):.1f}" if gf else "-"
    print(f"| {name} | {statistics.median(r['median_ms'] for r in j):.5g} | {g} | {j[0].get('note') or ''} |")
for name in names:
    if not name.endswith("convolutions"):
        continue
    # Per round: the part's rate against the peak measured in the same run (skipped where either is missing).
    shares = [p[0][name]["gflops"] / p[0]["fma_peak"]["gflops"] for p in pairs
              if p[0].get(name, {}).get("gflops") and p[0].get("fma_peak", {}).get("gflops")]
    if shares:
        print(f"\n{name}: {statistics.median(shares) * 100:.0f}% of the measured FMA peak (median over rounds, same-round peak)", end="")
for n in (256, 512, 1024):
    e = [p[0][f"gemm.engine.{n}"]["gflops"] / p[0][f"gemm.cblas.{n}"]["gflops"] for p in pairs
         if f"gemm.engine.{n}" in p[0] and f"gemm.cblas.{n}" in p[0]]
    if e:
        print(f"\ngemm {n}: engine / raw cblas_sgemm GFLOP/s, median over rounds: {statistics.median(e) * 100:.0f}%", end="")
print()
