#!/usr/bin/env bash
# Load benchmark of `embargo serve` with wrk (Debian package `wrk`): single-query and 100-query
# /match against the universe snapshot, plus /healthz for the HTTP layer alone. Prints wrk's
# latency distribution and the server's resident memory before and after.
# Usage: bench/server/run.sh [SNAPSHOT] [SECONDS] [soak]   (default build/universe.emb, 15)
#   soak: single-query /match only, for SECONDS (e.g. 600), with the server's memory every
#   minute: a stability run (zero errors, flat memory) rather than a speed figure.
# Environment: EMBARGO_BIN (default build/release/embargo), THREADS (server threads, 2).
set -euo pipefail
cd "$(dirname "$0")/../.."
snap=${1:-build/universe.emb}
secs=${2:-15}
bin=${EMBARGO_BIN:-build/release/embargo}
[ -e "$snap" ] || bench/build-universe.sh "$snap"
command -v wrk >/dev/null || { echo "run.sh: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
out=$(mktemp)
"$bin" serve --index "$snap" --listen 127.0.0.1:0 --threads "${THREADS:-2}" >"$out" 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 50); do grep -q listening "$out" && break; sleep 0.1; done
url=$(sed -n 's/^embargo: listening on //p' "$out")
rss() { awk '/VmRSS/ {print $2 / 1024 " MiB"}' "/proc/$pid/status"; }
echo "server RSS at start: $(rss)"
if [ "${3:-}" = soak ]; then
    ( while sleep 60; do echo "server RSS after another minute: $(rss)"; done ) &
    mon=$!
    wrk -t2 -c32 -d"${secs}s" --latency -s bench/server/match1.lua "$url/match/default" |
        grep -E "Requests/sec|requests in|50%|99%|Non-2xx|errors"
    kill $mon 2>/dev/null || true
    echo "server RSS at end: $(rss)"
    exit 0
fi
echo "== GET /healthz, 32 connections"
wrk -t2 -c32 -d"${secs}s" --latency "$url/healthz" | grep -E "Requests/sec|50%|99%"
echo "== POST /match, one query, 32 connections"
wrk -t2 -c32 -d"${secs}s" --latency -s bench/server/match1.lua "$url/match/default" |
    grep -E "Requests/sec|50%|99%|Non-2xx|errors"
echo "== POST /match, 100-query batch, 8 connections"
wrk -t2 -c8 -d"${secs}s" --latency -s bench/server/match100.lua "$url/match/default" |
    grep -E "Requests/sec|50%|99%|Non-2xx|errors"
echo "server RSS at end: $(rss)"
