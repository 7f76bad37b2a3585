#!/usr/bin/env bash
# Whole-process throughput of `sendapi emulate`: validated Send API
# requests per second, against a baseline route of the same server that
# does no validation (GET /__emulator/faults: same process, same axum and
# hyper stack, a small JSON answer), measured in the same run.
#
# Needs wrk (Debian package `wrk`). The load generator shares the machine
# with the emulator: on 2 cores, wrk takes one thread (-t1) and the
# emulator's runtime the rest.
#
# Usage: bench/emulator/run.sh          (DURATION=10s CONNECTIONS=32 ROUNDS=3)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-32}"
ROUNDS="${ROUNDS:-3}"
command -v wrk >/dev/null || { echo "run.sh: needs wrk (apt-get install wrk)" >&2; exit 2; }

(cd "$ROOT" && cargo build --release --quiet -p sendapi-cli)
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/sendapi"
WORK="$(mktemp -d)"
trap 'kill "$EMU" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT

"$BIN" emulate --addr 127.0.0.1:0 --token BENCH_TOKEN --no-rate-limit >"$WORK/ready" 2>"$WORK/log" &
EMU=$!
for _ in $(seq 100); do [ -s "$WORK/ready" ] && break; sleep 0.1; done
BASE="$(sed -n 's/^listening on //p' "$WORK/ready")"
[ -n "$BASE" ] || { cat "$WORK/log" >&2; echo "run.sh: the emulator did not start" >&2; exit 1; }

# post.lua BODY: a POST of one JSON body; done() prints the non-2xx count.
lua() {
    cat >"$WORK/$1.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[$2]]
done = function(summary, latency, requests)
  io.write(string.format("non2xx %d\n", summary.errors.status))
end
LUA
}
lua text '{"recipient":{"id":"6047783085279281"},"messaging_type":"RESPONSE","message":{"text":"Your table for two is booked for 19:30.","quick_replies":[{"content_type":"text","title":"Change","payload":"CHANGE"}]},"access_token":"BENCH_TOKEN"}'
lua template '{"recipient":{"id":"6047783085279281"},"messaging_type":"RESPONSE","message":{"attachment":{"type":"template","payload":{"template_type":"generic","elements":[{"title":"Table for two","subtitle":"19:30, terrace","image_url":"https://example.com/t.jpg","default_action":{"type":"web_url","url":"https://example.com/b/42"},"buttons":[{"type":"web_url","url":"https://example.com/b/42","title":"View"},{"type":"postback","title":"Cancel","payload":"CANCEL_42"}]},{"title":"Parking","subtitle":"free after 18:00","buttons":[{"type":"postback","title":"Directions","payload":"PARK"}]}]}}},"access_token":"BENCH_TOKEN"}'

rps() { # rps NAME URL [SCRIPT]: requests/s of one wrk run
    local out
    if [ -n "${3:-}" ]; then
        out="$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" -s "$WORK/$3.lua" "$2")"
    else
        out="$(wrk -t1 -c"$CONNECTIONS" -d"$DURATION" "$2")"
    fi
    local non2xx
    non2xx="$(sed -n 's/^non2xx //p' <<<"$out")"
    if [ -n "$non2xx" ] && [ "$non2xx" != 0 ]; then
        echo "run.sh: $1 got $non2xx non-2xx answers" >&2
        exit 1
    fi
    sed -n 's/^Requests\/sec: *//p' <<<"$out"
}

# One warm-up, then interleaved rounds.
rps warmup "$BASE/v26.0/me/messages" text >/dev/null
printf 'round\tbaseline GET\ttext send\ttemplate send\ttext/baseline\ttemplate/baseline\n'
for r in $(seq "$ROUNDS"); do
    b="$(rps baseline "$BASE/__emulator/faults")"
    t="$(rps text "$BASE/v26.0/me/messages" text)"
    g="$(rps template "$BASE/v26.0/me/messages" template)"
    printf '%s\t%s\t%s\t%s\t%.3f\t%.3f\n' "$r" "$b" "$t" "$g" \
        "$(echo "$t / $b" | bc -l)" "$(echo "$g / $b" | bc -l)"
done
