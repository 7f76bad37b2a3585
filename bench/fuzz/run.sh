#!/usr/bin/env bash
# Runs cargo-fuzz targets on nightly and records each run in
# fuzz/RUNS.md: the date, the seconds, libFuzzer's executions, the coverage
# it reached (cov: edges, ft: features), the corpus size and the crashes.
# BENCHMARKS.md's fuzzing section adds the runs up per target.
#
# Each target starts from its checked-in seeds (fuzz/seeds/TARGET, read
# only) and its working corpus (fuzz/corpus/TARGET, not committed). A crash
# leaves its input in fuzz/artifacts/TARGET; fix it, then save the input as
# fuzz/seeds/TARGET/crash-WHAT so that tests/tests/fuzz_corpus.rs replays
# it on every CI run.
#
# Usage: bench/fuzz/run.sh [TARGET...]      (all targets by default)
#        SECONDS_PER_TARGET=600 PARALLEL=2 bench/fuzz/run.sh
# Needs the nightly toolchain and cargo-fuzz (cargo install cargo-fuzz).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
FUZZ="$ROOT/fuzz"
SECS="${SECONDS_PER_TARGET:-600}"
PARALLEL="${PARALLEL:-1}"
RUNS="$FUZZ/RUNS.md"
cd "$FUZZ"

if [ "$#" -gt 0 ]; then
    TARGETS=("$@")
else
    mapfile -t TARGETS < <(cargo +nightly fuzz list)
fi
cargo +nightly fuzz build >/dev/null
# The commit fuzzed, marked when the work tree differs from it.
COMMIT="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- "$ROOT" ':!fuzz/RUNS.md' || echo '+changes')"

if [ ! -f "$RUNS" ]; then
    cat >"$RUNS" <<'HEAD'
# Fuzzing runs

Written by `bench/fuzz/run.sh`, one row per run; BENCHMARKS.md adds them
up per target. `cov` is the number of code edges libFuzzer saw covered at
the end of the run, `ft` its finer feature count, `corpus` the inputs kept
in the working corpus (seeds included).

| date (UTC) | target | seconds | executions | exec/s | cov | ft | corpus | crashes | toolchain | commit |
|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|
HEAD
fi

one() {
    local t="$1" log
    log="$(mktemp)"
    mkdir -p "corpus/$t" "artifacts/$t"
    local before
    before="$(find "artifacts/$t" -type f | wc -l)"
    local rc=0
    cargo +nightly fuzz run "$t" "corpus/$t" "seeds/$t" -- \
        -max_total_time="$SECS" -timeout=20 -rss_limit_mb=4096 \
        -print_final_stats=1 -close_fd_mask=1 >"$log" 2>&1 || rc=$?
    local execs eps cov ft corp crashes
    execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
    eps="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
    cov="$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)"
    ft="$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)"
    corp="$(find "corpus/$t" "seeds/$t" -type f | wc -l)"
    crashes=$(( $(find "artifacts/$t" -type f | wc -l) - before ))
    if [ "$rc" != 0 ] && [ "$crashes" = 0 ]; then
        echo "fuzz: $t exited $rc without an artifact; log: $log" >&2
        crashes="exit $rc"
    else
        rm -f "$log"
    fi
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' \
        "$(date -u '+%Y-%m-%d %H:%M')" "$t" "$SECS" "${execs:-?}" "${eps:-?}" \
        "${cov:-?}" "${ft:-?}" "$corp" "$crashes" "$(rustc +nightly --version | cut -d' ' -f2-4 | tr -d '()')" "$COMMIT" >>"$RUNS"
    echo "fuzz: $t: ${execs:-?} executions in ${SECS} s, cov ${cov:-?}, crashes $crashes"
}

running=0
for t in "${TARGETS[@]}"; do
    one "$t" &
    running=$((running + 1))
    if [ "$running" -ge "$PARALLEL" ]; then
        wait -n || true
        running=$((running - 1))
    fi
done
wait
