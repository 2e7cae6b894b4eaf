#!/usr/bin/env bash
# Install what is needed, build embargo, build a snapshot from the lists at hand, screen a
# name, then serve the HTTP API and its web page on it (Ctrl-C stops the server). Real lists
# are taken from $EMBARGO_DATA_DIR (default ../shared/data); without them the bundled DEMO
# list is used, and the output says which.
# Usage: scripts/demo.sh [--no-serve] ["NAME TO SCREEN"]
#   EMBARGO_LISTEN (default 127.0.0.1:8080) is where the server listens.
set -euo pipefail
cd "$(dirname "$0")/.."
serve=1
if [ "${1:-}" = --no-serve ]; then serve=0; shift; fi
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null
bin=build/release/embargo
data=${EMBARGO_DATA_DIR:-../shared/data}
out=${EMBARGO_INDEX:-build/default.emb}
sources=()
add() { if [ -e "$2" ]; then sources+=("$1$2"); fi; }
if [ -d "$data" ]; then
    add us_ofac_sdn= "$data/ofac/sdn_names_2026-08-20_kindrat86.csv"
    add "" "$data/un/UN_consolidated_2026-02-27.xml"
    for f in "$data"/eu/journal_sanctions_csv/consolidated/*.csv \
             "$data"/eu/journal_sanctions_csv/amendments/*.csv; do add "" "$f"; done
    add "" "$data/opensanctions/ua_war_sanctions_targets.simple_2026-03-13.csv"
fi
if [ ${#sources[@]} -gt 0 ]; then
    echo "== lists: real published lists from $data (${#sources[@]} files)"
else
    echo "== lists: no real lists found (set EMBARGO_DATA_DIR); using the bundled DEMO list,"
    echo "   which is a sample for trying embargo out, not an authoritative sanctions list"
    sources=(embargo_demo=data/demo/demo_sanctions.csv)
fi
mkdir -p "$(dirname "$out")"
"$bin" index build -o "$out" "${sources[@]}"
info=$("$bin" index info -i "$out")
echo "${info%%$'\n'*}"
for name in "${1:-Sichuan Anxun Information Technology Co., Ltd.}" "四川安洵信息技术有限公司"; do
    echo
    echo "== embargo screen \"$name\""
    "$bin" screen -i "$out" "$name"
done
echo
echo "Snapshot: $out  (export EMBARGO_INDEX=$out to use it by default)"
[ $serve = 1 ] || exit 0
listen=${EMBARGO_LISTEN:-127.0.0.1:8080}
echo
echo "== embargo serve: open http://$listen/ to screen names in the browser (Ctrl-C stops it)"
exec "$bin" serve --index "$out" --listen "$listen"
