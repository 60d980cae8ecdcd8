#!/usr/bin/env bash
# Fuzzes every parser of outside input with libFuzzer (see fuzz/README.md).
#
#   scripts/fuzz.sh [--seconds S] [--runs N] [--jobs J] [TARGET...]
#       builds Sources/JouleFuzz with -sanitize=fuzzer,address into .build-fuzz/, then runs
#       each target (default: all six) until N executions or S seconds, whichever comes
#       first (defaults: 1,000,000 and 600), J at a time (default 2). The corpus grows in
#       .build-fuzz/corpus/TARGET (seeded from fuzz/corpus/TARGET); crashes, hangs and
#       oversized allocations land in fuzz/findings/. Prints one line per target:
#       executions, seconds, corpus size, outcome; exits non-zero if any target failed.
#   scripts/fuzz.sh --replay [TARGET...]
#       replays the seed corpus and fuzz/regressions/ through an ordinary debug build
#       (.build/debug/joule-fuzz), as `make test` does.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGETS_ALL=(idx csv png safetensors yaml filter)
seconds=600 runs=1000000 jobs=2 replay=0 targets=()
while (($#)); do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --jobs) jobs="$2"; shift 2 ;;
        --replay) replay=1; shift ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
        *) [[ " ${TARGETS_ALL[*]} " == *" $1 "* ]] || { echo "fuzz.sh: unknown target '$1' (one of ${TARGETS_ALL[*]})" >&2; exit 2; }
           targets+=("$1"); shift ;;
    esac
done
((${#targets[@]})) || targets=("${TARGETS_ALL[@]}")

if ((replay)); then
    swift build --product joule-fuzz > /dev/null  # up to date after `swift build`; rebuilt if not
    for t in "${targets[@]}"; do
        paths=(fuzz/corpus/"$t")
        [[ -d fuzz/regressions/$t ]] && paths+=(fuzz/regressions/"$t")
        .build/debug/joule-fuzz "$t" "${paths[@]}"
    done
    exit 0
fi

echo "building the fuzz targets (release, -sanitize=fuzzer,address) into .build-fuzz/"
swift build -c release --scratch-path .build-fuzz --product joule-fuzz \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DJOULE_FUZZ -Xcc -fsanitize=fuzzer-no-link,address
binary=.build-fuzz/release/joule-fuzz
mkdir -p fuzz/findings .build-fuzz/logs

fuzz_one() {
    local t="$1" corpus=".build-fuzz/corpus/$1" log=".build-fuzz/logs/$1.log"
    mkdir -p "$corpus"
    local seeds=(fuzz/corpus/"$t")
    [[ -d fuzz/regressions/$t ]] && seeds+=(fuzz/regressions/"$t")
    local dict=()
    [[ -f fuzz/dictionaries/$t.dict ]] && dict=(-dict="fuzz/dictionaries/$t.dict")
    # -rss_limit_mb / -malloc_limit_mb: an input that makes the parser hold more than 2 GiB,
    # or ask for 1 GiB in one allocation, is a finding (unbounded allocation); -timeout: one
    # input taking over 10 s is a hang.
    local status=0
    JOULE_FUZZ_TARGET="$t" ASAN_OPTIONS=detect_leaks=0 "$binary" "$corpus" "${seeds[@]}" "${dict[@]}" \
        -runs="$runs" -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=10 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="fuzz/findings/$t-" > "$log" 2>&1 || status=$?
    local executions elapsed size
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    elapsed=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
    size=$(find "$corpus" -type f | wc -l)
    local outcome="no crash, hang or oversized allocation"
    ((status == 0)) || outcome="FAILED (exit $status): $(grep -m1 -E 'ERROR|==[0-9]+==|Fatal error|deadly signal|timeout|out-of-memory|malloc' "$log" || true) — see $log"
    printf '%-12s %10s executions %6ss  corpus %5s  %s\n' "$t" "${executions:-?}" "${elapsed:-?}" "$size" "$outcome"
    return "$status"
}

failed=0
pids=()
for t in "${targets[@]}"; do
    fuzz_one "$t" & pids+=($!)
    if ((${#pids[@]} >= jobs)); then wait "${pids[0]}" || failed=1; pids=("${pids[@]:1}"); fi
done
for p in "${pids[@]}"; do wait "$p" || failed=1; done
exit "$failed"
