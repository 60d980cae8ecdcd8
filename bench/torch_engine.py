"""PyTorch timings of the computations `joule bench` measures, under the same names.

Usage (after ../shared/bench/setup.sh):
    /tmp/joule-reference-venv/bin/python bench/torch_engine.py --shared ../shared/bench --json /tmp/torch-engine.json
Models come from the shared reference (torch_ref.make_mlp / make_cnn, identical to Joule's
`mlp` and `cnn-s`); timings go through the shared contention guard.
"""
import argparse
import json
import statistics
import sys


def AutocastJEM(torch_ref, torch, model, opt):
    """torch_ref.JEM whose SGLD gradients run under torch.autocast("cpu", torch.bfloat16)."""

    class JEM(torch_ref.JEM):
        def sample(self):
            with torch.autocast("cpu", dtype=torch.bfloat16):
                return super().sample()

    return JEM(model, opt)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default="../shared/bench")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--iters", type=int, default=20)
    ap.add_argument("--json", default=None)
    args = ap.parse_args()
    sys.path.insert(0, args.shared)
    import torch
    import guard
    import torch_ref

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    results = []

    def record(name, fn, flops=None, iters=args.iters):
        ts = [t for t, _ in guard.guarded_times(fn, iters, warmup=3)[0]]
        med = statistics.median(ts)
        results.append({"name": name, "median_ms": med * 1e3, "min_ms": min(ts) * 1e3,
                        "gflops": flops / med / 1e9 if flops else None, "repetitions": len(ts)})
        print(f"{name:40s} {med * 1e3:10.3f} ms" + (f" {flops / med / 1e9:8.1f} GFLOP/s" if flops else ""), flush=True)

    for n in (256, 512, 1024):
        a, b = torch.randn(n, n), torch.randn(n, n)
        record(f"gemm.torch.{n}", lambda: torch.mm(a, b), 2.0 * n ** 3, iters=50)

    x = torch.rand(64, 1, 28, 28) * 2 - 1
    for name, make in (("cnn-s", torch_ref.make_cnn), ("mlp", torch_ref.make_mlp)):
        model = make()
        fl = torch_ref.forward_flops(model) * 64
        for p in model.parameters():
            p.requires_grad_(False)

        def forward():
            with torch.inference_mode():
                return model(x)

        def input_gradient():
            xi = x.detach().requires_grad_(True)
            return torch.autograd.grad(torch_ref.energy(model, xi).sum(), [xi])[0]

        record(f"{name}.forward.b64", forward, fl)
        record(f"{name}.forward_input_gradient.b64", input_gradient, 2 * fl)
        if name == "cnn-s":
            def input_gradient_bf16():
                with torch.autocast("cpu", dtype=torch.bfloat16):
                    return input_gradient()
            record(f"{name}.forward_input_gradient.b64.bfloat16", input_gradient_bf16, 2 * fl)
        # d) of the shared reference: inference at batch 1000.
        x1000 = torch.rand(1000, 1, 28, 28) * 2 - 1
        with torch.inference_mode():
            record(f"{name}.forward.b1000", lambda: model(x1000), fl / 64 * 1000)

        # a) of the shared reference: forward + cross-entropy + backward + Adam.
        for p in model.parameters():
            p.requires_grad_(True)
        opt = torch.optim.Adam(model.parameters(), lr=1e-4)
        y = torch.arange(64) % 10
        record(f"train_step.{name}.b64", lambda: torch_ref.plain_step(model, opt, x, y), 3 * fl)

        # b) of the shared reference: one JEM iteration (20 SGLD steps from the replay buffer, update).
        jem = torch_ref.JEM(model, opt)
        record(f"jem_iteration.{name}.b64", lambda: jem.step(x, y), iters=max(5, args.iters // 2))

        if name == "cnn-s":
            # The same iteration with the SGLD gradient under PyTorch's CPU autocast to
            # bfloat16 (its own mixed precision: convolutions in bfloat16, their outputs too),
            # beside Joule's `--sampler-precision bfloat16`; the update stays float32.
            bf16 = AutocastJEM(torch_ref, torch, model, opt)
            record(f"jem_iteration.{name}.b64.bfloat16_sampler", lambda: bf16.step(x, y), iters=max(5, args.iters // 2))

        # c) of the shared reference: one denoising-score-matching step (σ 0.1, double backward, Adam).
        record(f"dsm_step.{name}.b64", lambda: torch_ref.dsm_step(model, opt, x))

    big = torch.randn(10_000_000)
    record("elementwise.leaky_relu.10M", lambda: torch.nn.functional.leaky_relu(big, 0.2))

    if args.json:
        with open(args.json, "w") as f:
            json.dump({"metadata": {"torch": torch.__version__, "threads": args.threads}, "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
