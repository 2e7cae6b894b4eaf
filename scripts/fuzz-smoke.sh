#!/usr/bin/env bash
# Build the libFuzzer targets with clang and run each for a short time from its seed corpus.
# Usage: scripts/fuzz-smoke.sh [SECONDS_PER_TARGET]   (default 15)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-15}
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for bin in build/fuzz/fuzz/fuzz_*; do
    t=$(basename "$bin"); t=${t#fuzz_}
    mkdir -p "$work/$t"
    cp -r fuzz/corpus/"$t"/. "$work/$t"/ 2>/dev/null || true
    dict=fuzz/dict/csv.dict
    case "$t" in *xml*) dict=fuzz/dict/xml.dict;; ftm_json) dict=fuzz/dict/json.dict;; esac
    echo "fuzz $t for ${secs}s"
    "$bin" -max_total_time="$secs" -rss_limit_mb=2048 -dict="$dict" \
        -artifact_prefix="fuzz-$t-" "$work/$t" 2>"$work/$t.log" || {
        tail -40 "$work/$t.log" >&2; echo "fuzz target $t failed" >&2; exit 1; }
    grep -E '^Done|^#[0-9]+.*DONE' "$work/$t.log" | tail -1 || true
done
