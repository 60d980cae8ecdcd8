#!/usr/bin/env bash
# Energies on the 2-D toy densities: trains every objective on rings, 8gaussians and
# checkerboard, then `joule evaluate` measures each run by MMD² against held-out points
# (Gaussian kernel h = 0.5, 1,000 points a side) beside the untrained network: exact samples
# of the energy's density (a fine grid) and the run's own sampler's samples — Langevin
# from noise for score matching, the generator for learned samplers (vera, meg, kim-bengio:
# VERA's toy settings, Adam β (0, 0.9), a 64-wide generator with a 2-D latent; 4-D for MEG
# and Kim & Bengio, whose estimates need more latent than output).
# Usage: [OBJECTIVES="esm dsm …"] scripts/toy-results.sh [STEPS] [OUT_DIR]
#        (defaults: every objective, 3000 steps, /tmp/joule-toy-results)
# Prints a Markdown table; the runs, with their density and scatter pictures, stay in OUT_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
steps="${1:-3000}"
out="${2:-/tmp/joule-toy-results}"
joule=${JOULE:-.build/release/joule}
[ -x "$joule" ] || swift build -c release --product joule >&2
mkdir -p "$out"
echo "| objective | density | exact: trained | exact: untrained | ratio | sampler: trained | sampler: untrained | ratio | data vs data | run |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for objective in ${OBJECTIVES:-esm ssm ssm-vr dsm mdsm vera meg kim-bengio}; do
  for density in rings 8gaussians checkerboard; do
    extra=()
    [ "$objective" = mdsm ] && extra=(--sigma-max 1 --sigma-min 0.05 --sigma-levels 8 --sample-steps 100 --sample-step-size 0.0005)
    [ "$objective" = dsm ] && extra=(--sigma 0.1)
    [ "$objective" = vera ] && extra=(--beta1 0 --beta2 0.9 --generator mlp-64)
    case "$objective" in meg|kim-bengio) extra=(--beta1 0 --beta2 0.9 --generator mlp-64 --latent-size 4 --statistics-width 64) ;; esac
    run=$("$joule" train --objective "$objective" --dataset "toy:$density" --model energy-mlp-64 --steps "$steps" \
            --batch-size 128 --lr 3e-3 --schedule cosine --seed 1 --checkpoint-dir "$out" --runs-db "$out/runs.sqlite" \
            --name "$objective $density" \
            ${extra[@]+"${extra[@]}"} --json 2>/dev/null | sed -n 's/.*"run_id" : "\(.*\)".*/\1/p')
    "$joule" evaluate "$run" --checkpoint last --runs-db "$out/runs.sqlite" --json 2>/dev/null \
      | python3 -c 'import json, sys
r = json.load(sys.stdin)
exact = r.get("mmd2")
cells = [sys.argv[1], sys.argv[2]] + (["%.4f" % exact, "%.4f" % r["mmd2_untrained"], "%.2f" % (exact / r["mmd2_untrained"])]
                                      if exact is not None else ["n/a", "n/a", "n/a"]) + [
         "%.4f" % r["mmd2_sampler"], "%.4f" % r["mmd2_sampler_untrained"], "%.2f" % (r["mmd2_sampler"] / r["mmd2_sampler_untrained"]),
         "%.4f" % r["mmd2_data"], sys.argv[3]]
print("| " + " | ".join(cells) + " |")' "$objective" "$density" "$run"
  done
done
