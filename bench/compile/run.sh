#!/usr/bin/env bash
# Whole-process build cost of request! against hand-written serde types.
#
#   (a) rebuild only the crate (touch src/lib.rs; cargo build), macro50 and
#       serde50 interleaved, RUNS times each: mean and min, ratio macro/serde;
#   (b) clean total (cargo clean; cargo build) of each, once;
#   (c) generating the full v26 bindings (`sendapi generate --spec v26.0`)
#       from the workspace, after a warm-up release build, GEN_RUNS times.
#
# Usage: bench/compile/run.sh            (RUNS=8 GEN_RUNS=5 by default)
#        RUNS=3 GEN_RUNS=3 bench/compile/run.sh
#        SKIP_CLEAN=1 bench/compile/run.sh   (skips (b), the slow part)
# The crates come from generate.py, which this script runs first.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
RUNS="${RUNS:-8}"
GEN_RUNS="${GEN_RUNS:-5}"
SKIP_CLEAN="${SKIP_CLEAN:-0}"
CRATES=(macro50 serde50)
OUT_V26="${OUT_V26:-/tmp/v26.rs}"
RESULTS="$HERE/target/results.txt"
# The workspace's target dir for (c); the bench crates set their own in
# their .cargo/config.toml, so a CARGO_TARGET_DIR from outside must not leak
# into them.
WS_TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
unset CARGO_TARGET_DIR
export CARGO_TERM_COLOR=never

now_ns() { date +%s%N; }
ms_since() { echo $(( ($(now_ns) - $1) / 1000000 )); }

# cargo build of one bench crate, run from its directory (so its
# .cargo/config.toml applies); prints nothing unless it fails.
build() {
    local crate="$1" log
    log="$(mktemp)"
    if ! (cd "$HERE/$crate" && cargo build --quiet) >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        echo "run.sh: cargo build of $crate failed" >&2
        exit 1
    fi
    rm -f "$log"
}

# stats NAME VALUES...: "mean min max" in ms
stats() {
    shift
    printf '%s\n' "$@" | awk '{ s += $1; if (NR == 1 || $1 < mn) mn = $1; if ($1 > mx) mx = $1 }
        END { printf "%.0f %d %d\n", s / NR, mn, mx }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "== generate the crates"
python3 "$HERE/generate.py"

echo "== build both crates' dependencies (once)"
for c in "${CRATES[@]}"; do
    start=$(now_ns)
    build "$c"
    echo "   $c: $(ms_since "$start") ms"
done

echo "== (a) rebuild only the crate, interleaved, $RUNS runs each"
declare -A T N
for c in "${CRATES[@]}"; do
    # One untimed rebuild each, so both start from the same state.
    touch "$HERE/$c/src/lib.rs"
    build "$c"
    T[$c]=""
    N[$c]=""
done
for ((i = 1; i <= RUNS; i++)); do
    # Alternate which crate goes first, so drift on a shared machine hits both.
    if ((i % 2)); then order=(macro50 serde50); else order=(serde50 macro50); fi
    line="   run $i:"
    for c in "${order[@]}"; do
        touch "$HERE/$c/src/lib.rs"
        start=$(now_ns)
        build "$c"
        ms=$(ms_since "$start")
        T[$c]="${T[$c]} $ms"
        # A no-op build right after: cargo's own cost (fingerprints of the
        # whole dependency graph), part of every rebuild above.
        start=$(now_ns)
        build "$c"
        noop=$(ms_since "$start")
        N[$c]="${N[$c]} $noop"
        line="$line $c ${ms} ms (no-op $noop ms)"
    done
    echo "$line"
done
# shellcheck disable=SC2086
read -r m_mean m_min m_max <<<"$(stats x ${T[macro50]})"
# shellcheck disable=SC2086
read -r s_mean s_min s_max <<<"$(stats x ${T[serde50]})"
# shellcheck disable=SC2086
read -r mn_mean mn_min _ <<<"$(stats x ${N[macro50]})"
# shellcheck disable=SC2086
read -r sn_mean sn_min _ <<<"$(stats x ${N[serde50]})"

m_clean="skipped"
s_clean="skipped"
if [[ "$SKIP_CLEAN" != 1 ]]; then
    echo "== (b) clean total (cargo clean; cargo build), once each"
    for c in "${CRATES[@]}"; do
        (cd "$HERE/$c" && cargo clean --quiet)
        start=$(now_ns)
        build "$c"
        ms=$(ms_since "$start")
        echo "   $c: $ms ms"
        if [[ $c == macro50 ]]; then m_clean=$ms; else s_clean=$ms; fi
    done
fi

echo "== (c) sendapi generate --spec v26.0, $GEN_RUNS runs"
(cd "$ROOT" && CARGO_TARGET_DIR="$WS_TARGET" cargo build --release --quiet -p sendapi-cli)
gen_cmd="cargo run --release -q -- generate --spec v26.0 --out $OUT_V26"
bin="$WS_TARGET/release/sendapi"
bin_cmd="$bin generate --spec v26.0 --out $OUT_V26"
if command -v hyperfine >/dev/null 2>&1; then
    json="$(mktemp)"
    (cd "$ROOT" && CARGO_TARGET_DIR="$WS_TARGET" hyperfine --style basic --warmup 1 --runs "$GEN_RUNS" \
        --export-json "$json" -n "cargo run" "$gen_cmd" -n "binary only" "$bin_cmd") >&2
    read -r g_mean g_min b_mean b_min <<<"$(python3 - "$json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
print(" ".join(f"{x * 1000:.0f}" for res in r for x in (res["mean"], res["min"])))
EOF
)"
    rm -f "$json"
    tool="hyperfine"
else
    g=""; b=""
    for ((i = 0; i <= GEN_RUNS; i++)); do
        start=$(now_ns); (cd "$ROOT" && CARGO_TARGET_DIR="$WS_TARGET" $gen_cmd >/dev/null); ms=$(ms_since "$start")
        ((i > 0)) && g="$g $ms"
        start=$(now_ns); $bin_cmd >/dev/null; ms=$(ms_since "$start")
        ((i > 0)) && b="$b $ms"
    done
    # shellcheck disable=SC2086
    read -r g_mean g_min _ <<<"$(stats x $g)"
    # shellcheck disable=SC2086
    read -r b_mean b_min _ <<<"$(stats x $b)"
    tool="date +%s%N loop"
fi
lines=$(wc -l <"$OUT_V26")

mkdir -p "$(dirname "$RESULTS")"
{
    echo "compile-time benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(rustc --version), $(nproc) cores"
    echo
    printf '%-44s %10s %10s %10s\n' "measure" "macro50" "serde50" "ratio"
    printf '%-44s %10s %10s %10s\n' "rebuild only the crate, mean of $RUNS (ms)" "$m_mean" "$s_mean" "$(ratio "$m_mean" "$s_mean")"
    printf '%-44s %10s %10s %10s\n' "rebuild only the crate, min (ms)" "$m_min" "$s_min" "$(ratio "$m_min" "$s_min")"
    printf '%-44s %10s %10s %10s\n' "rebuild only the crate, max (ms)" "$m_max" "$s_max" "$(ratio "$m_max" "$s_max")"
    printf '%-44s %10s %10s %10s\n' "  of which cargo no-op, mean (ms)" "$mn_mean" "$sn_mean" "$(ratio "$mn_mean" "$sn_mean")"
    printf '%-44s %10s %10s %10s\n' "rebuild minus no-op, mean (ms)" "$((m_mean - mn_mean))" "$((s_mean - sn_mean))" "$(ratio "$((m_mean - mn_mean))" "$((s_mean - sn_mean))")"
    if [[ "$m_clean" == skipped ]]; then
        printf '%-44s %10s %10s %10s\n' "clean total (ms)" "skipped" "skipped" "-"
    else
        printf '%-44s %10s %10s %10s\n' "clean total (ms)" "$m_clean" "$s_clean" "$(ratio "$m_clean" "$s_clean")"
    fi
    echo
    echo "generate --spec v26.0 ($lines lines), $GEN_RUNS runs, $tool:"
    printf '  %-42s mean %6s ms, min %6s ms\n' "cargo run --release -q -- generate" "$g_mean" "$g_min"
    printf '  %-42s mean %6s ms, min %6s ms\n' "target/release/sendapi generate" "$b_mean" "$b_min"
} | tee "$RESULTS"
echo
echo "(also written to ${RESULTS#"$ROOT"/})"
