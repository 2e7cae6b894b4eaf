#!/usr/bin/env bash
# Run `embargo inspect` on every list file of the real-data folder and print a Markdown table
# (the one in docs/FORMATS.md). Usage: scripts/inspect-all.sh [EMBARGO_BINARY]
set -uo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/release/embargo}
data=${EMBARGO_DATA_DIR:-../shared/data}
inputs=(
    "us_ofac_sdn=$data/ofac/sdn_names_2026-08-20_kindrat86.csv"
    "$data/ofac/sdn_2024-05-03.csv"
    "$data/ofac/legacy_csv_2021-07"
    "$data/ofac/cons_csv_2025-12"
    "$data/ofac/legacy_csv_2025-12_partial"
    "$data/ofac/CONS_ENHANCED_2025-01-10.ZIP"
    "$data/ofac/samples/sdnList_xml_sample_2020-04-22.xml"
    "$data/ofac/samples/sdnList_xml_sample_zipped.zip"
    "$data/us_csl/consolidated_2022-05.csv.gz"
    "$data/un/UN_consolidated_2026-02-27.xml"
    "$data/un/samples/un_consolidated_sample_2024-10-17.xml"
    "$data/eu/journal_sanctions_csv/consolidated (45 files)"
    "$data/eu/journal_sanctions_csv/amendments (11 files)"
    "$data/eu/samples/eu_fsf_sample_2020-04-15.xml"
    "$data/uk/samples/uk_sanctions_list_xml_carve_2026-08-14.xml"
    "$data/uk/samples/ofsi_conlist_sample_2020-04-27.csv"
    "$data/uk/uk_sanctions_list_search_export_2025-08-11.ods"
    "$data/uk/ofsi_conlist_regime_cyber_2025-08-12.txt"
    "$data/opensanctions/ua_war_sanctions_targets.simple_2026-03-13.csv"
    "$data/opensanctions/yente_fixtures/zala_entities.ftm.json"
    "$data/opensanctions/yente_fixtures/t1_entities.ftm.json"
    "$data/opensanctions/cn_mfa_countersanctions_source.csv"
)
echo "| file | format | dataset | published | entities | names | unresolved | schemas | errors |"
echo "|---|---|---|---|---|---|---|---|---|"
for in in "${inputs[@]}"; do
    args=("$in")
    label=${in#*=}
    case "$in" in
    *" (45 files)"|*" (11 files)") dir=${in% (*}; args=("$dir"/*.csv); label=$dir/*.csv ;;
    esac
    "$bin" inspect --skip-bad "${args[@]}" 2>/dev/null | python3 -c '
import json, sys
label = sys.argv[1].replace(sys.argv[2] + "/", "")
rows = [json.loads(l) for l in sys.stdin]
agg = {"entities": 0, "names": 0, "unresolved": 0, "schemas": {}, "errors": []}
for r in rows:
    for k in ("entities", "names", "unresolved"):
        agg[k] += r[k]
    for s, n in r["schemas"].items():
        agg["schemas"][s] = agg["schemas"].get(s, 0) + n
    agg["errors"] += r["errors"]
r = rows[0]
sch = ", ".join("%s %s" % (k, f"{v:,}") for k, v in sorted(agg["schemas"].items()))
err = "; ".join(e["message"][:70] for e in agg["errors"][:1])
if len(agg["errors"]) > 1:
    err += " (+%d)" % (len(agg["errors"]) - 1)
print("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (label, r["format"], r["dataset"],
      r["published"] or "", "{:,}".format(agg["entities"]), "{:,}".format(agg["names"]),
      agg["unresolved"], sch, err))
' "$label" "$data"
done
