#!/usr/bin/env bash
# Trains the demo's runs with two joule binaries and checks they give the same figures bit
# for bit: every number in the --json summaries but time and paths, and every tensor of
# the final checkpoints (model, optimiser, replay buffer, learned sampler), byte for byte.
# Used to prove a refactoring leaves training unchanged (issue 23).
#
#   scripts/compare-training.sh OLD_JOULE NEW_JOULE [RUN ...]
#
# RUN is one of cnn-s mlp jem dsm vera (default: all five, as `make demo` trains them).
set -euo pipefail

if [[ $# -lt 2 ]]; then
    echo "usage: $0 OLD_JOULE NEW_JOULE [cnn-s|mlp|jem|dsm|vera ...]" >&2
    exit 2
fi
old=$(realpath "$1") new=$(realpath "$2")
shift 2
runs=("$@")
[[ ${#runs[@]} -gt 0 ]] || runs=(cnn-s mlp jem dsm vera)

arguments() {
    case "$1" in
        cnn-s) echo "--model cnn-s --epochs 1 --lr 1e-3" ;;
        mlp) echo "--model mlp --epochs 3 --lr 1e-3 --schedule cosine" ;;
        jem) echo "--objective jem --model mlp --steps 1000 --lr 1e-4 --noise 0.03 --checkpoint-every 250" ;;
        dsm) echo "--objective dsm --dataset toy:8gaussians --model energy-mlp-64 --steps 1500 --batch-size 128 --lr 3e-3 --schedule cosine" ;;
        vera) echo "--objective vera --model mlp --steps 1000 --lr 1e-3 --pyx-weight 1 --px-weight 0.03 --entropy-weight 1e-4 --noise 0.03" ;;
        *) echo "unknown run '$1' (cnn-s, mlp, jem, dsm, vera)" >&2; exit 2 ;;
    esac
}

work=$(mktemp -d /tmp/joule-compare-XXXXXX)
trap 'rm -rf "$work"' EXIT
failed=0
for run in "${runs[@]}"; do
    read -r -a args <<< "$(arguments "$run")"
    for side in old new; do
        binary=$old
        [[ $side == new ]] && binary=$new
        mkdir -p "$work/$side"
        start=$(date +%s)
        (cd "$work/$side" && "$binary" train "${args[@]}" --checkpoint-dir "$work/$side/$run" --runs-db "$work/$side/$run.sqlite" \
            --json > "$work/$side/$run.json" 2> "$work/$side/$run.log")
        echo "$run ($side): $(( $(date +%s) - start )) s"
    done
    if python3 - "$work/old/$run" "$work/new/$run" "$work/old/$run.json" "$work/new/$run.json" "$run" <<'EOF'
import json, struct, sys, pathlib

old_dir, new_dir, old_json, new_json, run = sys.argv[1:]
ignored = {"run_id", "seconds", "seconds_per_epoch", "run_store_seconds", "last_checkpoint", "best_checkpoint"}
a, b = json.load(open(old_json)), json.load(open(new_json))
problems = [f"{k}: {a.get(k)!r} against {b.get(k)!r}" for k in sorted(set(a) | set(b)) if k not in ignored and a.get(k) != b.get(k)]

def tensors(path):
    raw = path.read_bytes()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    header.pop("__metadata__", None)
    body = raw[8 + n:]
    return {name: (entry["dtype"], entry["shape"], body[entry["data_offsets"][0]:entry["data_offsets"][1]]) for name, entry in header.items()}

for name in ["last.safetensors", "best.safetensors"]:
    found_a = sorted(pathlib.Path(old_dir).glob(f"*/{name}"))
    found_b = sorted(pathlib.Path(new_dir).glob(f"*/{name}"))
    if len(found_a) != len(found_b):
        problems.append(f"{name}: {len(found_a)} against {len(found_b)} files")
        continue
    for fa, fb in zip(found_a, found_b):
        ta, tb = tensors(fa), tensors(fb)
        if set(ta) != set(tb):
            problems.append(f"{name}: tensors {sorted(set(ta) ^ set(tb))} in one only")
        for key in sorted(set(ta) & set(tb)):
            if ta[key] != tb[key]:
                problems.append(f"{name}: tensor {key} differs")
figures = {k: a[k] for k in sorted(a) if k not in ignored and a[k] is not None}
if problems:
    print(f"{run}: DIFFERENT\n  " + "\n  ".join(problems[:20]))
    sys.exit(1)
print(f"{run}: identical {figures}; checkpoint tensors byte for byte")
EOF
    then :; else failed=1; fi
done
exit $failed
