#!/usr/bin/env bash
# First-build cost of a minimal bot on sendapi against the same bot on
# serde + reqwest + tokio (whole processes; see bench/README.md, "First
# build").
#
#   (a) clean debug build (cargo clean; cargo build) of each bot,
#       alternated, N times; the number of crates compiled;
#   (b) the packages in each bot's graph (cargo tree -e normal,build);
#   (c) incremental rebuild (touch src/main.rs; cargo build), interleaved,
#       RUNS times each;
#   (d) the first request! expansion in sendapi_bot, as the macro reports it
#       with SENDAPI_MACRO_TIMINGS=1, RUNS times.
#
# Usage: bench/firstbuild/run.sh        (N=2 RUNS=5 by default)
#        N=1 RUNS=3 bench/firstbuild/run.sh
#        SKIP_CLEAN=1 bench/firstbuild/run.sh   (skips (a), the slow part)
#        BASE_REV=<commit> bench/firstbuild/run.sh   (also times the first
#            expansion of sendapi at that commit, interleaved with HEAD's)
#        BODY=generic|button bench/firstbuild/run.sh   (the bot's main.rs is
#            bodies/BODY.rs, a larger request! body, in every build of it;
#            not with PATH_DEP=1)
#
# sendapi_bot depends on sendapi by path in the repository, so that it
# builds as is; the script builds a copy of it that depends on this
# repository's HEAD commit through git instead (uncommitted changes are not
# measured). A user gets sendapi from a registry, and cargo compiles
# registry and git dependencies once, without incremental compilation and
# with lints capped, as it compiles every dependency of serde_bot; a path
# dependency it compiles incrementally, which costs a first build more and
# lays the proc macro's code out differently (its first expansion measured
# about 1.5 ms slower). PATH_DEP=1 builds the checked-in bot as it is
# instead, to compare.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
N="${N:-2}"
RUNS="${RUNS:-5}"
SKIP_CLEAN="${SKIP_CLEAN:-0}"
PATH_DEP="${PATH_DEP:-0}"
BASE_REV="${BASE_REV:-}"
BODY="${BODY:-}"
BOTS=(sendapi_bot serde_bot)
# The bots set their own target dirs; one from outside must not leak in.
unset CARGO_TARGET_DIR
export CARGO_TERM_COLOR=never

# run_timed DIR LOG CMD...: runs CMD in DIR with its output in LOG and sets
# WALL_MS and CPU_MS (user + sys of CMD and the processes it waited for:
# cargo waits for its rustc processes, so this is the build's CPU time,
# which a busy machine disturbs far less than wall time). Needs GNU time
# (/usr/bin/time, Debian package `time`).
run_timed() {
    local dir="$1" log="$2" tf rc=0
    shift 2
    tf="$(mktemp)"
    (cd "$dir" && /usr/bin/time -f '%e %U %S' -o "$tf" "$@") >"$log" 2>&1 || rc=$?
    read -r WALL_MS CPU_MS < <(awk '{ printf "%.0f %.0f\n", $1 * 1000, ($2 + $3) * 1000 }' "$tf")
    rm -f "$tf"
    return "$rc"
}
mean() { awk '{ s += $1 } END { printf "%.0f", s / NR }'; }
# median [FORMAT]: the median of the numbers on stdin, one per line (the
# mean of the middle two for an even count), printed with FORMAT (%.0f).
median() { sort -g | awk -v f="${1:-%.0f}" '{ v[NR] = $1 } END { if (NR % 2) printf f, v[(NR + 1) / 2]; else printf f, (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# Where each bot is built from.
declare -A DIR
DIR[serde_bot]="$HERE/serde_bot"
DIR[sendapi_bot]="$HERE/sendapi_bot"
if [ -n "$BODY" ] && { [ "$PATH_DEP" = 1 ] || [ ! -f "$HERE/bodies/$BODY.rs" ]; }; then
    echo "BODY=$BODY: expected one of $(cd "$HERE/bodies" && ls | sed 's/\.rs$//' | tr '\n' ' ')without PATH_DEP=1" >&2
    exit 2
fi
if [ "$PATH_DEP" != 1 ]; then
    ROOT="$(cd "$HERE/../.." && pwd)"
    REV="$(git -C "$ROOT" rev-parse HEAD)"
    if [ -n "$(git -C "$ROOT" status --porcelain -- core spec codegen macros runtime Cargo.toml)" ]; then
        echo "note: uncommitted changes to the crates are not measured (the bot builds $REV)" >&2
    fi
    # gen_bot DIR REV TARGET_DIR: a copy of sendapi_bot in DIR that builds
    # sendapi at REV from git, into TARGET_DIR.
    gen_bot() {
        local gen="$1" rev="$2" target="$3"
        rm -rf "$gen"
        mkdir -p "$gen/src" "$gen/.cargo"
        if [ -n "$BODY" ]; then
            cp "$HERE/bodies/$BODY.rs" "$gen/src/main.rs"
        else
            cp "$HERE/sendapi_bot/src/main.rs" "$gen/src/"
        fi
        # The same registry versions as the checked-in bot, where it has a lock.
        cp "$HERE/sendapi_bot/Cargo.lock" "$gen/" 2>/dev/null || true
        sed "s|^sendapi = { path = \"../../../runtime\" }|sendapi = { git = \"file://$ROOT\", rev = \"$rev\" }|" \
            "$HERE/sendapi_bot/Cargo.toml" >"$gen/Cargo.toml"
        grep -q "rev = \"$rev\"" "$gen/Cargo.toml" || { echo "cannot point the bot at git" >&2; exit 1; }
        printf '[build]\ntarget-dir = "%s"\n' "$target" >"$gen/.cargo/config.toml"
    }
    GEN="$HERE/target/git_bot"
    gen_bot "$GEN" "$REV" "$HERE/target/sendapi_bot"
    DIR[sendapi_bot]="$GEN"
    echo "sendapi_bot builds sendapi $REV from git"
    if [ -n "$BASE_REV" ]; then
        BASE="$(git -C "$ROOT" rev-parse "$BASE_REV")"
        gen_bot "$HERE/target/git_bot_base" "$BASE" "$HERE/target/sendapi_bot_base"
        echo "and the first expansion is compared with sendapi $BASE, interleaved"
    fi
fi

# Fetch what the bots need first, so that no download is timed.
for b in "${BOTS[@]}"; do (cd "${DIR[$b]}" && cargo fetch --quiet); done

declare -A clean_ms clean_cpu compiled last_cpu
# Each round builds sendapi_bot then serde_bot, so the two share the
# machine's state: the ratio within a round is steadier than the ratio of
# means when the machine's speed drifts between rounds.
pair_ratios=""
if [ "$SKIP_CLEAN" != 1 ]; then
    echo "(a) clean debug build, $N alternated runs each"
    for _ in $(seq "$N"); do
        for b in "${BOTS[@]}"; do
            (cd "${DIR[$b]}" && cargo clean --quiet)
            log="$(mktemp)"
            run_timed "${DIR[$b]}" "$log" cargo build || { cat "$log" >&2; exit 1; }
            ms="$WALL_MS"
            cpu="$CPU_MS"
            clean_cpu[$b]="${clean_cpu[$b]:-} $cpu"
            last_cpu[$b]="$cpu"
            compiled[$b]="$(grep -c '^ *Compiling ' "$log")"
            clean_ms[$b]="${clean_ms[$b]:-} $ms"
            rm -f "$log"
            echo "  $b: ${ms} ms wall, ${cpu} ms CPU (${compiled[$b]} crates compiled)"
        done
        pair_ratios="$pair_ratios $(ratio "${last_cpu[sendapi_bot]}" "${last_cpu[serde_bot]}")"
    done
    for b in "${BOTS[@]}"; do
        echo "  $b mean: $(tr ' ' '\n' <<<"${clean_ms[$b]}" | grep . | mean) ms wall, $(tr ' ' '\n' <<<"${clean_cpu[$b]}" | grep . | mean) ms CPU"
    done
fi

echo "(b) packages (cargo tree -e normal,build, unique)"
declare -A pkgs
for b in "${BOTS[@]}"; do
    pkgs[$b]="$(cd "${DIR[$b]}" && cargo tree -e normal,build --prefix none | sed 's/ (\*)$//' | sort -u | wc -l)"
    echo "  $b: ${pkgs[$b]}"
done

echo "(c) incremental rebuild (touch src/main.rs; cargo build), $RUNS interleaved runs each"
for b in "${BOTS[@]}"; do (cd "${DIR[$b]}" && cargo build --quiet); done
declare -A inc_ms inc_cpu
for _ in $(seq "$RUNS"); do
    for b in "${BOTS[@]}"; do
        touch "${DIR[$b]}/src/main.rs"
        run_timed "${DIR[$b]}" /dev/null cargo build --quiet || { echo "$b does not build" >&2; exit 1; }
        inc_ms[$b]="${inc_ms[$b]:-} $WALL_MS"
        inc_cpu[$b]="${inc_cpu[$b]:-} $CPU_MS"
    done
done
for b in "${BOTS[@]}"; do
    echo "  $b:${inc_ms[$b]} ms wall; mean $(tr ' ' '\n' <<<"${inc_ms[$b]}" | grep . | mean) ms wall, $(tr ' ' '\n' <<<"${inc_cpu[$b]}" | grep . | mean) ms CPU"
done

echo "(d) first request! expansion in sendapi_bot (SENDAPI_MACRO_TIMINGS=1), $RUNS runs"
# first_expansion DIR: the first request!'s time in a rebuild of the bot in DIR.
first_expansion() {
    local us
    touch "$1/src/main.rs"
    us="$(cd "$1" && SENDAPI_MACRO_TIMINGS=1 cargo build 2>&1 \
        | sed -n 's/.*sendapi-macro-timing request! first=true us=\([0-9]*\).*/\1/p' | head -1)"
    [ -n "$us" ] || { echo "the macro printed no timing" >&2; exit 1; }
    echo "$us"
}
BASE_DIR="$HERE/target/git_bot_base"
if [ -n "$BASE_REV" ] && [ "$PATH_DEP" != 1 ]; then
    (cd "$BASE_DIR" && cargo build --quiet)
fi
first_us=""
base_us=""
for _ in $(seq "$RUNS"); do
    # The base first, then this commit, in each round: both meet the
    # machine in the same state.
    if [ -n "$BASE_REV" ] && [ "$PATH_DEP" != 1 ]; then
        base_us="$base_us $(first_expansion "$BASE_DIR")"
    fi
    first_us="$first_us $(first_expansion "${DIR[sendapi_bot]}")"
done
echo "  first expansion:$first_us us; mean $(tr ' ' '\n' <<<"$first_us" | grep . | mean) us"
if [ -n "$base_us" ]; then
    echo "  first expansion at $BASE_REV:$base_us us; mean $(tr ' ' '\n' <<<"$base_us" | grep . | mean) us"
fi

echo "== summary"
if [ "$SKIP_CLEAN" != 1 ]; then
    a="$(tr ' ' '\n' <<<"${clean_ms[sendapi_bot]}" | grep . | mean)"
    b="$(tr ' ' '\n' <<<"${clean_ms[serde_bot]}" | grep . | mean)"
    echo "clean build (wall): sendapi_bot ${a} ms, serde_bot ${b} ms, ratio $(ratio "$a" "$b") (target <= 1.3)"
    a="$(tr ' ' '\n' <<<"${clean_cpu[sendapi_bot]}" | grep . | mean)"
    b="$(tr ' ' '\n' <<<"${clean_cpu[serde_bot]}" | grep . | mean)"
    echo "clean build (CPU): sendapi_bot ${a} ms, serde_bot ${b} ms, ratio $(ratio "$a" "$b")"
    echo "clean build, CPU ratio per round:${pair_ratios}; median $(tr ' ' '\n' <<<"$pair_ratios" | grep . | median %.2f)"
    echo "crates compiled: sendapi_bot ${compiled[sendapi_bot]}, serde_bot ${compiled[serde_bot]}"
fi
echo "packages: sendapi_bot ${pkgs[sendapi_bot]}, serde_bot ${pkgs[serde_bot]}"
a="$(tr ' ' '\n' <<<"${inc_ms[sendapi_bot]}" | grep . | mean)"
b="$(tr ' ' '\n' <<<"${inc_ms[serde_bot]}" | grep . | mean)"
echo "incremental (wall): sendapi_bot ${a} ms, serde_bot ${b} ms, ratio $(ratio "$a" "$b") (target <= 1.2)"
a="$(tr ' ' '\n' <<<"${inc_cpu[sendapi_bot]}" | grep . | mean)"
b="$(tr ' ' '\n' <<<"${inc_cpu[serde_bot]}" | grep . | mean)"
echo "incremental (CPU): sendapi_bot ${a} ms, serde_bot ${b} ms, ratio $(ratio "$a" "$b")"
echo "first request! expansion: mean $(tr ' ' '\n' <<<"$first_us" | grep . | mean) us, median $(tr ' ' '\n' <<<"$first_us" | grep . | median) us, max $(tr ' ' '\n' <<<"$first_us" | grep . | sort -n | tail -1) us (target < 5000)"
if [ -n "$base_us" ]; then
    a="$(tr ' ' '\n' <<<"$first_us" | grep . | median)"
    b="$(tr ' ' '\n' <<<"$base_us" | grep . | median)"
    echo "first request! expansion at $BASE_REV: mean $(tr ' ' '\n' <<<"$base_us" | grep . | mean) us, median $b us, max $(tr ' ' '\n' <<<"$base_us" | grep . | sort -n | tail -1) us; ratio of medians $(ratio "$a" "$b")"
fi
