#!/usr/bin/env bash
# Trains JEM and checks that resident memory stays flat over 1,000 iterations.
#
#   scripts/memory-check.sh [--model mlp|cnn-s|...] [--steps N] [--warmup W] [--sgld-steps K] [--tolerance MB] [-- TRAIN-OPTION...]
#       defaults: mlp, 2000, 1000, 20 (JEM's reference), 8; options after -- go to joule train
#
# The run logs its resident memory every 50 steps (process/resident_mb in the run store).
# The first W steps are a warm-up: oneDNN's primitive cache, the tensor pool, the replay
# buffer's copies for the divergence guard's snapshots, and the first epoch's end (at step
# 922: validation, checkpoint, sample grid), which raises the heap once. Over the N - W
# iterations after it, which include the second epoch's end, the floor must stay within
# TOLERANCE MB: the lowest of the last four readings against the lowest of the first four
# (single readings swing with the guard's snapshots of the replay buffer every 100 steps
# and with each epoch end's validation; the highest is printed). Prints every reading and
# the verdict.
# Uses JOULE (default .build/release/joule, built if missing) and sqlite3.
set -euo pipefail
cd "$(dirname "$0")/.."

model=mlp steps=2000 warmup=1000 sgld=20 tolerance=8 extra=()
while (($#)); do
    case "$1" in
        --model) model="$2"; shift 2 ;;
        --steps) steps="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        --sgld-steps) sgld="$2"; shift 2 ;;
        --tolerance) tolerance="$2"; shift 2 ;;
        --) shift; extra=("$@"); break ;;
        *) echo "memory-check.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
JOULE=${JOULE:-.build/release/joule}
[[ -x $JOULE ]] || swift build -c release --product joule
work=$(mktemp -d /tmp/joule-memory-check.XXXXXX)
trap 'rm -rf "$work"' EXIT

command=(train --objective jem --model "$model" --steps "$steps" --batch-size 64 --sgld-steps "$sgld" --lr 1e-4 --noise 0.03
         --validation-size 1000 --checkpoint-dir "$work" --runs-db "$work/runs.sqlite" --seed 3 "${extra[@]}")
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
    # Floors, not single readings: the snapshots of the divergence guard (every 100 steps)
    # and the validation at each epoch end come and go; a leak raises the floor.
    $1 > warm { n++; step[n] = $1; mb[n] = $2; if ($2 > peak || n == 1) peak = $2 }
    END {
        if (n < 8) { print "memory-check: FAILED: too few readings after the warm-up"; exit 1 }
        first = mb[1]; for (i = 2; i <= 4; i++) if (mb[i] < first) first = mb[i]
        last = mb[n]; for (i = n - 3; i < n; i++) if (mb[i] < last) last = mb[i]
        printf "memory-check: over steps %d-%d (%d iterations, %d readings) the floor went %.1f -> %.1f MB (%+.1f MB); highest reading %.1f MB (bursts at epoch ends); %d s\n", step[1], step[n], step[n] - step[1] + 50, n, first, last, last - first, peak, seconds
        if (last - first > tol) { printf "memory-check: FAILED: the floor rose by more than %s MB\n", tol; exit 1 }
        print "memory-check: passed (flat within " tol " MB)"
    }'
