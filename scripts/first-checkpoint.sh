# Sourced by scripts/crash-check.sh and scripts/full-disk-check.sh.
#
# first_checkpoint DIRECTORY PID LOG
#   Waits (60 s at most) until the training run PID has written its first
#   DIRECTORY/RUN_ID/last.safetensors, then prints that run's folder. If the run ends first,
#   shows LOG on standard error and returns 1.
first_checkpoint() {
    local directory="$1" pid="$2" log="$3" found
    for _ in $(seq 1200); do
        found=$(compgen -G "$directory/*/last.safetensors" | head -1 || true)
        if [[ -n $found ]]; then
            dirname "$found"
            return 0
        fi
        if ! kill -0 "$pid" 2> /dev/null; then
            cat "$log" >&2
            echo "the run ended before its first checkpoint" >&2
            return 1
        fi
        sleep 0.05
    done
    echo "no checkpoint after 60 s" >&2
    return 1
}
