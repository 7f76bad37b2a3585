#!/usr/bin/env bash
# Instructions of the first request! expansion, counted with callgrind in the
# bot's own rustc process: deterministic, where the timings of run.sh drift
# with the machine's state (see bench/README.md, "First build"). Needs
# valgrind (callgrind and callgrind_annotate).
#
# Usage: bench/firstbuild/instructions.sh
#
# It measures the bots run.sh generated last: target/git_bot (HEAD, or the
# commit run.sh was run at) and, when present, target/git_bot_base (its
# BASE_REV), each with the body run.sh gave it (BODY=…). Run run.sh first,
# for instance `SKIP_CLEAN=1 RUNS=1 BASE_REV=<commit> BODY=generic
# bench/firstbuild/run.sh`.
#
# For each bot it takes the bot's rustc command from `cargo build -vv`, runs
# it under callgrind with one output per thread, and prints the
# instructions of sendapi's work on each thread that did some: the macro's
# thread (from `sendapi_macros::request_impl` in, every request! of the
# crate) and the helper threads (the snapshot's second half, the engine).
# The first expansion's wall time is at least the macro thread's share.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
command -v valgrind >/dev/null && command -v callgrind_annotate >/dev/null || {
    echo "instructions.sh needs valgrind (callgrind, callgrind_annotate)" >&2
    exit 2
}
unset CARGO_TARGET_DIR

# count BOT_DIR LABEL: prints the counts for one bot.
count() {
    local dir="$1" label="$2" out
    out="$(mktemp -d)"
    (cd "$dir" && cargo build -q >/dev/null 2>&1)
    touch "$dir/src/main.rs"
    # The bot's own rustc command, as cargo ran it (environment included).
    local cmd
    cmd="$(cd "$dir" && cargo build -vv 2>&1 | sed -n 's/^ *Running `\(.*--crate-name sendapi_bot .*\)`$/\1/p' | head -1)"
    [ -n "$cmd" ] || { echo "$label: cargo ran no rustc for the bot" >&2; exit 1; }
    local grind="valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file=$out/cg.out"
    # Insert valgrind before the rustc binary, after the environment.
    cmd="$(sed -E "s#(^| )(/[^ ]*/rustc) #\\1$grind \\2 #" <<<"$cmd")"
    grep -q "valgrind" <<<"$cmd" || { echo "$label: cannot find rustc in the command" >&2; exit 1; }
    touch "$dir/src/main.rs"
    (cd "$dir" && bash -c "$cmd" >/dev/null 2>&1) || true
    echo "$label ($(sed -n 's/.*rev = "\([0-9a-f]\{7\}\).*/\1/p' "$dir/Cargo.toml"), $(sed -n '1s#^//! ##p' "$dir/src/main.rs" | cut -c1-60)…):"
    local f listing n
    for f in "$out"/cg.out*; do
        listing="$(callgrind_annotate --inclusive=yes --auto=no "$f" 2>/dev/null || true)"
        if grep -q 'sendapi_macros::request_impl ' <<<"$listing"; then
            n="$(grep -m1 'sendapi_macros::request_impl ' <<<"$listing" | awk '{ gsub(",", "", $1); print $1 }')"
            printf '  %6.2f M instructions  the macro'"'"'s thread, in sendapi_macros::request_impl\n' \
                "$(awk -v n="$n" 'BEGIN { print n / 1e6 }')"
        elif grep -qE '(sendapi_spec|sendapi_codegen|sendapi_macros)::' <<<"$listing"; then
            # Valgrind numbers threads by slot: the snapshot's second half
            # and the engine's thread, one after the other, share a file.
            n="$(sed -n 's/^summary: //p' "$f")"
            printf '  %6.2f M instructions  helper threads (the snapshot'"'"'s second half, the engine)\n' \
                "$(awk -v n="$n" 'BEGIN { print n / 1e6 }')"
        fi
    done
    rm -rf "$out"
}

count "$HERE/target/git_bot" "HEAD"
if [ -d "$HERE/target/git_bot_base" ]; then
    count "$HERE/target/git_bot_base" "BASE"
fi
