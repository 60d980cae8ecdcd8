#!/usr/bin/env bash
# Kills a JEM training run with SIGKILL at random moments and checks, after each kill, that
# nothing was lost or half-written; then checks that the resumed run ends exactly where an
# uninterrupted run of the same command ends.
#
#   scripts/crash-check.sh [--kills N] [--seed S] [--steps T]     (defaults 10, 1, 4000)
#
# The run: `joule train --objective jem --model mlp` on Fashion-MNIST, T steps, a checkpoint
# every 25 steps. The first kill comes once the first checkpoint exists, each later one
# 0.1–1.5 s after the resume starts (so some land in start-up, some mid-step, some mid-write).
# After each kill:
#   - last.safetensors is whole (scripts/checkpoint-whole.py) and its step is known;
#   - the run store passes PRAGMA integrity_check;
#   - the store's train/loss rows are steps 1..M with none missing or doubled, and M is at
#     least the checkpoint's step (every metric the checkpoint saw was committed);
#   - `joule train --resume RUN` continues from the checkpoint.
# At the end: the run is FINISHED, its train/loss history equals the uninterrupted run's
# value for value, and no temporary file is left beside the checkpoints.
# Uses JOULE (default .build/release/joule, built if missing), sqlite3 and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/first-checkpoint.sh

kills=10 seed=1 steps=4000
while (($#)); do
    case "$1" in
        --kills) kills="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --steps) steps="$2"; shift 2 ;;
        *) echo "crash-check.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
JOULE=${JOULE:-.build/release/joule}
[[ -x $JOULE ]] || swift build -c release --product joule
work=$(mktemp -d /tmp/joule-crash-check.XXXXXX)
pid=""
# A failing check must not leave a training run behind.
trap '[[ -n $pid ]] && { kill -KILL "$pid" 2> /dev/null || true; wait "$pid" 2> /dev/null || true; }; rm -rf "$work"' EXIT
RANDOM=$seed

train=(--objective jem --model mlp --steps "$steps" --batch-size 32 --lr 1e-4 --sgld-steps 5 --noise 0.03
       --validation-size 1000 --checkpoint-every 25 --seed 7)
fail() { echo "crash-check: FAILED: $*" >&2; exit 1; }
sql() { sqlite3 -batch -noheader "$1" "$2"; }

echo "reference: ${train[*]} (uninterrupted)"
"$JOULE" train "${train[@]}" --checkpoint-dir "$work/reference" --runs-db "$work/reference/runs.sqlite" > "$work/reference.log" 2>&1 || { cat "$work/reference.log"; fail "the reference run failed"; }
reference_id=$(sql "$work/reference/runs.sqlite" "SELECT id FROM runs")

store="$work/killed/runs.sqlite"
"$JOULE" train "${train[@]}" --checkpoint-dir "$work/killed" --runs-db "$store" > "$work/run-0.log" 2>&1 &
pid=$!
folder=$(first_checkpoint "$work/killed" "$pid" "$work/run-0.log") || fail "no first checkpoint"
run=$(basename "$folder")

printf '%-5s %-8s %-10s %-12s %-10s %s\n' kill "after" checkpoint "loss rows" integrity "left by the kill"
for k in $(seq "$kills"); do
    delay=$(awk -v r=$((RANDOM % 1400)) 'BEGIN { printf "%.3f", 0.1 + r / 1000 }')
    sleep "$delay"
    if ! kill -0 "$pid" 2> /dev/null; then
        status=0
        wait "$pid" || status=$?
        ((status == 0)) || { cat "$work/run-$((k - 1)).log" >&2; fail "the run before kill $k exited with $status"; }
        fail "the run finished before kill $k (give it more --steps)"
    fi
    kill -KILL "$pid"
    wait "$pid" 2> /dev/null || true
    pid=""

    checked=$(scripts/checkpoint-whole.py "$folder/last.safetensors") || fail "kill $k: last.safetensors is not whole"
    step=${checked##* }
    integrity=$(sql "$store" "PRAGMA integrity_check")
    [[ $integrity == ok ]] || fail "kill $k: integrity_check says $integrity"
    read -r rows highest < <(sql "$store" "SELECT count(*), coalesce(max(step), 0) FROM metrics WHERE run_id = '$run' AND key = 'train/loss'" | tr '|' ' ')
    ((rows == highest)) || fail "kill $k: train/loss has $rows rows for steps 1..$highest"
    ((highest >= step)) || fail "kill $k: the checkpoint is at step $step but the store has train/loss only to $highest"
    leftovers=$(find "$folder" -maxdepth 1 -name '.*.tmp-*' | wc -l)
    printf '%-5s %-8s %-10s %-12s %-10s %s\n' "$k" "${delay}s" "step $step" "1..$highest" "$integrity" \
        "$( ((leftovers)) && echo "$leftovers half-written temporary file(s)" || echo "-")"

    # The run is found through the store, which records its folder (no --checkpoint-dir).
    "$JOULE" train --resume "$run" --runs-db "$store" > "$work/run-$k.log" 2>&1 &
    pid=$!
done
wait "$pid" || { cat "$work/run-$k.log"; fail "the last resume failed"; }
pid=""

status=$(sql "$store" "SELECT status FROM runs WHERE id = '$run'")
[[ $status == FINISHED ]] || fail "the run ended $status"
[[ -z $(find "$folder" -maxdepth 1 -name '.*.tmp-*') ]] || fail "temporary files are left in $folder"
sql "$work/reference/runs.sqlite" "SELECT step, value FROM metrics WHERE run_id = '$reference_id' AND key = 'train/loss' ORDER BY step" > "$work/reference.txt"
sql "$store" "SELECT step, value FROM metrics WHERE run_id = '$run' AND key = 'train/loss' ORDER BY step" > "$work/killed.txt"
cmp -s "$work/reference.txt" "$work/killed.txt" || {
    diff "$work/reference.txt" "$work/killed.txt" | head -5
    fail "the killed-and-resumed run's train/loss differs from the uninterrupted run's"
}
for key in test/accuracy validation/accuracy; do
    a=$(sql "$work/reference/runs.sqlite" "SELECT value FROM latest_metrics WHERE run_id = '$reference_id' AND key = '$key'")
    b=$(sql "$store" "SELECT value FROM latest_metrics WHERE run_id = '$run' AND key = '$key'")
    [[ $a == "$b" ]] || fail "$key: $b after the kills, $a uninterrupted"
done
echo "crash-check: passed — $(wc -l < "$work/killed.txt") train/loss steps identical to the uninterrupted run, test accuracy $(sql "$store" "SELECT value FROM latest_metrics WHERE run_id = '$run' AND key = 'test/accuracy'"), status $status"
