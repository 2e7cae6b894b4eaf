#!/usr/bin/env bash
# Build the "universe" snapshot: OFAC SDN 2026 (names file), the UN consolidated list, every
# EU journal annex CSV (consolidated and amendments) and the OpenSanctions Ukraine export.
# Prints the build time, the snapshot size and the peak resident memory of the build.
# Usage: bench/build-universe.sh [OUT.emb]          (default build/universe.emb)
# Environment: EMBARGO_DATA_DIR (default ../shared/data), EMBARGO_BIN (default
# build/release/embargo, built with the release preset when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
data=${EMBARGO_DATA_DIR:-../shared/data}
out=${1:-build/universe.emb}
bin=${EMBARGO_BIN:-build/release/embargo}
if [ ! -x "$bin" ]; then
    cmake --preset release >/dev/null
    cmake --build --preset release --target embargo_cli >/dev/null
fi
eu=("$data"/eu/journal_sanctions_csv/consolidated/*.csv "$data"/eu/journal_sanctions_csv/amendments/*.csv)
if [ ! -e "${eu[0]}" ]; then echo "build-universe: no EU journal CSVs under $data" >&2; exit 1; fi
mkdir -p "$(dirname "$out")"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
/usr/bin/time -v -o "$log" "$bin" index build -o "$out" \
    "us_ofac_sdn=$data/ofac/sdn_names_2026-08-20_kindrat86.csv" \
    "$data/un/UN_consolidated_2026-02-27.xml" \
    "${eu[@]}" \
    "$data/opensanctions/ua_war_sanctions_targets.simple_2026-03-13.csv"
wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
cpu=$(awk -F': ' '/User time|System time/ {t += $2} END {printf "%.1f", t}' "$log")
rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
size=$(stat -c %s "$out")
awk -v out="$out" -v n=$((${#eu[@]} + 3)) -v wall="$wall" -v cpu="$cpu" -v size="$size" \
    -v rss="$rss" 'BEGIN {
    printf "universe: %s (%d sources), build %s wall (%s s CPU), snapshot %.1f MB, peak RSS %.0f MiB\n",
           out, n, wall, cpu, size / 1e6, rss / 1024 }'
