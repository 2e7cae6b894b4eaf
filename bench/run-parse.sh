#!/usr/bin/env bash
# Parsing throughput on every real list file, release build. Usage: bench/run-parse.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
data=${EMBARGO_DATA_DIR:-../shared/data}
runs=${1:-5}
cmake --preset release >/dev/null
cmake --build --preset release >/dev/null
files=(
    "us_ofac_sdn=$data/ofac/sdn_names_2026-08-20_kindrat86.csv"
    "$data/ofac/sdn_2024-05-03.csv"
    "$data/ofac/legacy_csv_2021-07"
    "$data/ofac/cons_csv_2025-12"
    "$data/ofac/CONS_ENHANCED_2025-01-10.ZIP"
    "$data/ofac/samples/sdnList_xml_sample_2020-04-22.xml"
    "$data/un/UN_consolidated_2026-02-27.xml"
    "$data/eu/journal_sanctions_csv/consolidated/32014R0269.csv"
    "$data/eu/samples/eu_fsf_sample_2020-04-15.xml"
    "$data/uk/samples/ofsi_conlist_sample_2020-04-27.csv"
    "$data/opensanctions/ua_war_sanctions_targets.simple_2026-03-13.csv"
    "$data/opensanctions/yente_fixtures/zala_entities.ftm.json"
    "$data/us_csl/consolidated_2022-05.csv.gz"
)
build/release/bench/bench_parse -n "$runs" "${files[@]}"
echo
echo "snapshot build of the universe (OFAC SDN 2026, UN, EU journal, OpenSanctions Ukraine):"
out=$(mktemp -d)/universe.emb
/usr/bin/time -f "wall %e s, peak RSS %M KiB" build/release/embargo index build -o "$out" \
    "us_ofac_sdn=$data/ofac/sdn_names_2026-08-20_kindrat86.csv" \
    "$data/un/UN_consolidated_2026-02-27.xml" \
    "$data"/eu/journal_sanctions_csv/*/*.csv \
    "$data/opensanctions/ua_war_sanctions_targets.simple_2026-03-13.csv"
rm -rf "$(dirname "$out")"
