#!/usr/bin/env bash
# Trains JEM and checks that resident memory stays flat over 1,000 iterations.
#
#   scripts/memory-check.sh [--model mlp|cnn-s|...] [--steps N] [--warmup W] [--sgld-steps K] [--tolerance MB]
#       defaults: mlp, 2000, 1000, 20 (JEM's reference), 8
#
# The run logs its resident memory every 50 steps (process/resident_mb in the run store).
# The first W steps are a warm-up: oneDNN's primitive cache, the tensor pool, the replay
# buffer's copies for the divergence guard's snapshots, and the first epoch's end (at step
# 922: validation, checkpoint, sample grid), which raises the heap once. Over the N - W
# iterations after it, which include the second epoch's end, the last reading must be
# within TOLERANCE MB of the reading at step W (the epoch end's own burst comes and goes;
# its height is printed). Prints every reading and the verdict.
# Uses JOULE (default .build/release/joule, built if missing) and sqlite3.
set -euo pipefail
cd "$(dirname "$0")/.."

model=mlp steps=2000 warmup=1000 sgld=20 tolerance=8
while (($#)); do
    case "$1" in
        --model) model="$2"; shift 2 ;;
        --steps) steps="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        --sgld-steps) sgld="$2"; shift 2 ;;
        --tolerance) tolerance="$2"; shift 2 ;;
        *) echo "memory-check.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
JOULE=${JOULE:-.build/release/joule}
[[ -x $JOULE ]] || swift build -c release --product joule
work=$(mktemp -d /tmp/joule-memory-check.XXXXXX)
trap 'rm -rf "$work"' EXIT

command=(train --objective jem --model "$model" --steps "$steps" --batch-size 64 --sgld-steps "$sgld" --lr 1e-4 --noise 0.03
         --validation-size "${JOULE_MEMCHECK_VALIDATION:-1000}" --checkpoint-dir "$work" --seed 3)
echo "joule ${command[*]}"
start=$(date +%s)
"$JOULE" "${command[@]}" > "$work/train.log" 2>&1 || { cat "$work/train.log"; echo "memory-check: FAILED: the run failed" >&2; exit 1; }
seconds=$(($(date +%s) - start))
readings=$(sqlite3 -batch -noheader -separator ' ' "$work/runs.sqlite" \
    "SELECT step, printf('%.1f', value) FROM metrics WHERE key = 'process/resident_mb' ORDER BY step")
[[ -n $readings ]] || { echo "memory-check: FAILED: no process/resident_mb readings" >&2; exit 1; }
echo "step  resident MB"
echo "$readings" | awk '{ printf "%5d %8s\n", $1, $2 }'
echo "$readings" | awk -v warm="$warmup" -v tol="$tolerance" -v seconds="$seconds" '
    $1 <= warm { base = $2; base_step = $1 }
    $1 > warm { if ($2 - base > peak) peak = $2 - base; last = $2; last_step = $1; n++ }
    END {
        if (base == "" || n == 0) { print "memory-check: FAILED: too few readings after the warm-up"; exit 1 }
        printf "memory-check: %.1f MB at step %d, %.1f MB at step %d: %+.1f MB over %d iterations (%d readings; highest reading %+.1f MB, at the epoch end); %d s\n", base, base_step, last, last_step, last - base, last_step - base_step, n, peak, seconds
        if (last - base > tol) { printf "memory-check: FAILED: it grew by more than %s MB\n", tol; exit 1 }
        print "memory-check: passed (flat within " tol " MB)"
    }'
