#!/usr/bin/env bash
# Writes BENCHMARKS.md: every performance promise of sendapi as a ratio
# against a baseline measured in the same run, with its spread, plus the
# fault soak and the fuzzing record. One command:
#
#   bench/report.sh              the full run (about 40 minutes on 2 cores)
#   QUICK=1 bench/report.sh      criterion --quick and fewer rounds (about 20)
#   REPORT_ONLY=1 bench/report.sh   rewrites BENCHMARKS.md from the last logs
#
# Needs: wrk and redis-server (Debian packages), GNU time (package `time`).
# Each bench's whole output is kept in target/bench-report/*.log; the report
# quotes the lines that carry its figures. The fuzzing section adds up
# fuzz/RUNS.md, which bench/fuzz/run.sh writes (fuzzing needs nightly and
# is not run here).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
QUICK="${QUICK:-0}"
LOGS="$ROOT/target/bench-report"
OUT="$ROOT/BENCHMARKS.md"
mkdir -p "$LOGS"
cd "$ROOT"
export CARGO_TERM_COLOR=never

crit=()
[ "$QUICK" = 1 ] && crit=(--quick)
started="$(date -u '+%Y-%m-%d %H:%M UTC')"
if [ "${REPORT_ONLY:-0}" = 1 ]; then
    started="$(date -u -r "$LOGS/p1.log" '+%Y-%m-%d %H:%M UTC') (logs; report rewritten $(date -u '+%H:%M'))"
fi
t0=$(date +%s)

# run NAME CMD...: runs CMD with its output in target/bench-report/NAME.log.
run() {
    local name="$1"
    shift
    echo "== $name ($(( $(date +%s) - t0 )) s): $*" >&2
    if ! "$@" >"$LOGS/$name.log" 2>&1; then
        echo "bench/report.sh: $name failed; see ${LOGS#"$ROOT"/}/$name.log" >&2
        tail -20 "$LOGS/$name.log" >&2
        exit 1
    fi
}

# pick NAME REGEX: the lines of NAME's log that match, trimmed.
pick() { grep -E "$2" "$LOGS/$1.log" | sed 's/^ *//' || true; }
# num NAME REGEX: the first number after REGEX in NAME's log.
num() { grep -oE "$2 *[0-9.]+" "$LOGS/$1.log" | head -1 | grep -oE '[0-9.]+$' || echo "?"; }

sends=10000
if [ "${REPORT_ONLY:-0}" != 1 ]; then
    # The commit the logs belong to, for a later REPORT_ONLY=1.
    echo "$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!BENCHMARKS.md' || echo " with local changes")" >"$LOGS/commit"
    run p1 cargo bench -p sendapi-tests --bench build_serialize -- "${crit[@]}"
    run p2 cargo bench -p sendapi-spec --bench engine -- "${crit[@]}"
    run p3 cargo bench -p sendapi-tests --bench client_overhead -- "${crit[@]}"
    if [ "$QUICK" = 1 ]; then
        run p4 env RUNS=3 GEN_RUNS=2 SKIP_CLEAN=1 bench/compile/run.sh
        run p5-wrk env DURATION=4s ROUNDS=2 bench/emulator/run.sh
    else
        run p4 env RUNS=8 GEN_RUNS=3 SKIP_CLEAN=1 bench/compile/run.sh
        run p5-wrk bench/emulator/run.sh
    fi
    run p5-webhooks cargo bench -p sendapi-tests --bench webhook_delivery -- "${crit[@]}"
    run receive cargo bench -p sendapi-tests --bench webhook_receive -- "${crit[@]}"
    if [ "$QUICK" = 1 ]; then
        run p6 env N=1 RUNS=3 bench/firstbuild/run.sh
    else
        run p6 env N=2 RUNS=5 bench/firstbuild/run.sh
    fi
    run p7-budget cargo bench -p sendapi-tests --bench budget_overhead -- "${crit[@]}"
    run limiter cargo bench -p sendapi-cli --bench broadcast_throughput -- "${crit[@]}"
    run soak env SENDAPI_SOAK_SENDS="$sends" cargo test -p sendapi-tests --test fault_soak -- --nocapture
fi

# The headline figures.
p1_serde="$(num p1 'P1 ratio request_macro/hand_written_serde =')"
p1_json="$(num p1 'P1 ratio request_macro/json_macro =')"
p3="$(num p3 'P3 ratio client/hand-written =')"
p4="$(grep -E '^rebuild only the crate, mean' "$LOGS/p4.log" | awk '{ print $NF }' || echo "?")"
p4_net="$(grep -E '^rebuild minus no-op, mean' "$LOGS/p4.log" | awk '{ print $NF }' || echo "?")"
p5_text="$(awk -F'\t' 'NR > 1 && $1 ~ /^[0-9]+$/ { print $5 }' "$LOGS/p5-wrk.log" | sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "?" }')"
p5_hook="$(num p5-webhooks 'P5 ratio emulator deliveries/hand-written sender =')"
p6_cpu="$(grep -E '^clean build \(CPU\)' "$LOGS/p6.log" | grep -oE 'ratio [0-9.]+' | cut -d' ' -f2 || echo "?")"
p6_inc="$(grep -E '^incremental \(CPU\)' "$LOGS/p6.log" | grep -oE 'ratio [0-9.]+' | cut -d' ' -f2 || echo "?")"
p7_first="$(num p6 'first request! expansion: mean')"
p7_redis="$(num p7-budget 'ratio Redis/Local =')"
lim_std="$(grep -E 'standard +median ratio' "$LOGS/limiter.log" | grep -oE 'ratio [0-9.]+' | cut -d' ' -f2 || echo "?")"
lim_av="$(grep -E 'audio_video +median ratio' "$LOGS/limiter.log" | grep -oE 'ratio [0-9.]+' | cut -d' ' -f2 || echo "?")"
p2_valid="$(grep -E 'own-valid' "$LOGS/p2.log" | grep -oE '\(parse\+validate\)/parse = [0-9.]+' | grep -oE '[0-9.]+$' | head -1 || echo "?")"
p2_peer="$(grep -E ' peer \(' "$LOGS/p2.log" | grep -oE '\(parse\+validate\)/parse = [0-9.]+' | grep -oE '[0-9.]+$' | head -1 || echo "?")"

# verdict VALUE OP TARGET: "meets" or "outside" (or "-" without a target).
verdict() {
    awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
        if (v !~ /^[0-9.]+$/) { print "not measured"; exit }
        ok = (op == "<=") ? (v + 0 <= t + 0) : (op == "<") ? (v + 0 < t + 0) : (v + 0 >= t + 0)
        print ok ? "meets" : "**outside**"
    }'
}

cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
mem="$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
{
    cat <<HEAD
# Benchmarks

Written by \`bench/report.sh\`$( [ "$QUICK" = 1 ] && echo " with \`QUICK=1\` (criterion --quick, fewer rounds)" ); do not edit by hand.
Every figure is a ratio against a baseline measured in the same run, on
loopback only. A ratio below 1 means sendapi is cheaper than the baseline.

- Date: $started$( [ "${REPORT_ONLY:-0}" = 1 ] || echo " (took $(( ($(date +%s) - t0) / 60 )) min)" )
- Machine: $(nproc) cores ($cpu), $mem, $(uname -sr)
- Toolchain: $(rustc --version)
- Commit measured: $(cat "$LOGS/commit")

## Headline ratios

| | figure | baseline | ratio | target | |
|---|---|---|---:|---|---|
| P1 | build + serialize 50 typed bodies (\`request!\`) | hand-written serde structs | $p1_serde | <= 1.05 | $(verdict "$p1_serde" "<=" 1.05) |
| P1 | the same | \`serde_json::json!\` | $p1_json | <= 1.05 | $(verdict "$p1_json" "<=" 1.05) |
| P2 | parse + validate, own valid bodies | parse alone | $p2_valid | - | |
| P2 | parse + validate, peer corpus | parse alone | $p2_peer | - | |
| P3 | \`Client::send\` over loopback | hand-written serde + reqwest client | $p3 | <= 1.05 | $(verdict "$p3" "<=" 1.05) |
| P4 | rebuild of a crate with 50 \`request!\` (whole \`cargo build\`; $p4_net without cargo's no-op) | the same crate with hand-written serde | $p4 | <= 2 | $(verdict "$p4" "<=" 2) |
| P5 | emulator: validated text sends per second | unvalidated route, same server | $p5_text | - | |
| P5 | emulator: webhook deliveries per second | hand-written signed sender | $p5_hook | - | |
| P6 | clean debug build of a minimal bot (CPU time) | serde + reqwest + tokio bot | $p6_cpu | <= 1.3 | $(verdict "$p6_cpu" "<=" 1.3) |
| P6 | incremental rebuild with one \`request!\` (CPU time) | the same bot | $p6_inc | <= 1.2 | $(verdict "$p6_inc" "<=" 1.2) |
| P7 | first \`request!\` expansion, dev profile (µs), the bot's one-message body | - | $p7_first | < 5000 | $(verdict "$p7_first" "<" 5000) |
| P7 | send with a Redis-shared rate budget | in-process budget | $p7_redis | - | |
| limiter | accepted rate, standard class, 3 processes | the 300/s limit | $lim_std | >= 0.90, no 613 | $(verdict "$lim_std" ">=" 0.90) |
| limiter | accepted rate, audio_video class, 3 processes | the 10/s limit | $lim_av | >= 0.90, no 613 | $(verdict "$lim_av" ">=" 0.90) |

The P5 ratios are throughput (higher is better); the others are cost. The emulator delivers
webhooks from its own task, so its deliveries overlap the events being produced, where the
hand-written sender does one thing after the other.

HEAD

    section() { printf '\n## %s\n\n%s\n\n```text\n' "$1" "$2"; shift 2; cat; printf '```\n'; }

    pick p1 'build \+ serialize|criterion, mean|interleaved|P1 ratio' | section "P1: building and serializing typed requests" \
        "\`cargo bench -p sendapi-tests --bench build_serialize\`: the 50 bodies of bench/compile, built and serialized per iteration; sides interleaved in rotating order."
    pick p2 'per-body means|\): parse ' | section "P2: the engine against parsing the same bytes" \
        "\`cargo bench -p sendapi-spec --bench engine\`: per body, \`serde_json::from_slice\` (baseline) against validating the parsed value and both; own valid, own invalid and mutated bodies, and the peer corpus when present."
    pick p3 'one send|sendapi::Client [0-9]|P3 ratio|raw bytes =' | section "P3: the client against a hand-written client" \
        "\`cargo bench -p sendapi-tests --bench client_overhead\`: one trivial loopback server; the baseline serializes serde structs, posts with reqwest, checks the status and decodes the answer into a struct."
    sed -n '/^compile-time benchmark/,$p' "$LOGS/p4.log" | section "P4: rebuilding a crate with 50 request!" \
        "\`bench/compile/run.sh\`: touch and rebuild each crate, interleaved; cargo's own no-op time is shown and subtracted."
    { cat "$LOGS/p5-wrk.log" | grep -E '^(round|[0-9]+\s)'; pick p5-webhooks 'webhook deliveries|emulator [0-9]|P5 ratio'; } | section "P5: the emulator" \
        "\`bench/emulator/run.sh\` (wrk, 1 thread, on the same 2 cores; requests per second) and \`cargo bench -p sendapi-tests --bench webhook_delivery\`."
    pick receive 'receiving one|interleaved|ratio' | section "Receiving a webhook" \
        "\`cargo bench -p sendapi-tests --bench webhook_receive\`: verifying the signature and decoding typed events against \`serde_json::from_slice::<Value>\`."
    sed -n '/^== summary/,$p' "$LOGS/p6.log" | section "P6 and P7: first build and first expansion" \
        "\`bench/firstbuild/run.sh\`: a minimal bot on sendapi against the same bot on serde + reqwest + tokio; CPU time (user + sys of cargo and rustc) is steadier than wall time on a shared machine."
    pick p7-budget 'one send|Client \+ RedisBudget|ratio' | section "P7: a Redis-shared rate budget" \
        "\`cargo bench -p sendapi-tests --bench budget_overhead\`: \`Client::send\` asking a \`RedisBudget\` (real redis-server on loopback) against a \`LocalBudget\`."
    pick limiter 'three|with --redis|median ratio|without --redis' | section "Limiter precision" \
        "\`cargo bench -p sendapi-cli --bench broadcast_throughput\`: three \`sendapi broadcast\` processes share one page's budget through Redis; the rate is measured at the emulator."
    pick soak '^soak: ' | section "Fault soak" \
        "\`SENDAPI_SOAK_SENDS=$sends cargo test -p sendapi-tests --test fault_soak -- --nocapture\`, a debug build (CI runs 1,000 sends)."

    printf '\n## Fuzzing\n\n'
    if [ -f fuzz/RUNS.md ]; then
        echo "Every run of \`bench/fuzz/run.sh\` (cargo-fuzz on nightly, libFuzzer) is a row of fuzz/RUNS.md; per target:"
        echo
        echo "| target | runs | seconds | executions | best cov | crashes |"
        echo "|---|---:|---:|---:|---:|---:|"
        awk -F'|' '$2 ~ /^ [0-9][0-9][0-9][0-9]-/ {
            t = $3; gsub(/ /, "", t)
            runs[t]++; secs[t] += $4; ex[t] += $5
            if ($7 + 0 > cov[t]) cov[t] = $7 + 0
            c = $10; gsub(/ /, "", c); if (c ~ /^[0-9]+$/) cr[t] += c; else bad[t] = bad[t] " " c
        } END {
            for (t in runs) printf "| %s | %d | %d | %d | %d | %d%s |\n", t, runs[t], secs[t], ex[t], cov[t], cr[t], bad[t]
        }' fuzz/RUNS.md | sort
        echo
        echo "Crashes found and fixed are saved under fuzz/seeds/TARGET/crash-* and replayed by tests/tests/fuzz_corpus.rs."
    else
        echo "No run recorded: run bench/fuzz/run.sh."
    fi
} >"$OUT"
echo "wrote ${OUT#"$ROOT"/} in $(( ($(date +%s) - t0) / 60 )) min" >&2
