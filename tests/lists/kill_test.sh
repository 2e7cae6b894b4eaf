#!/usr/bin/env bash
# kill -9 at random moments of `embargo update`, in a loop; after each kill the store must be
# consistent: SQLite integrity, every recorded version's file present and matching its
# SHA-256, one list_version audit record per version, the published snapshot readable; and a
# re-run must succeed and bring the snapshot up to date. The audit chain verifies throughout.
# Then a full disk and a read-only store (tmpfs; skipped when mounting is not allowed) give
# a clear error and lose nothing.
# Usage: kill_test.sh EMBARGO_BINARY DATA_DIR [ROUNDS]
set -u
EMBARGO=$1
DATA=$2
ROUNDS=${3:-25}
[ -f "$DATA/un/UN_consolidated_2026-02-27.xml" ] || { echo "skipped: no real data at $DATA"; exit 0; }
command -v sqlite3 >/dev/null || { echo "skipped: the sqlite3 program is not installed"; exit 0; }
HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d)
SERVER_PID= MNT=
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null
    [ -n "$MNT" ] && umount "$MNT" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
python3 "$HERE/list_server.py" "$DATA" "$TMP/port" &
SERVER_PID=$!
for _ in $(seq 100); do [ -f "$TMP/port" ] && break; sleep 0.1; done
PORT=$(cat "$TMP/port") || { echo "server did not start"; exit 1; }
BASE="http://127.0.0.1:$PORT"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# Two contents that alternate, so every round has a new version to record and publish.
config() {
    cat > "$1" <<INI
[source un_sc_sanctions]
url = $BASE/$2/un/UN_consolidated_2026-02-27.xml
[source us_ofac_cons]
url = $BASE/nocache/ofac/CONS_ENHANCED_2025-01-10.ZIP
INI
}

check_store() { # DIR ROUND
    local dir=$1 db=$1/embargo.db
    [ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ] || fail "round $2: integrity_check"
    "$EMBARGO" versions --verify --db "$db" >"$TMP/verify" 2>&1 || { fail "round $2: versions --verify"; cat "$TMP/verify"; }
    local nv na
    nv=$(sqlite3 "$db" 'SELECT COUNT(*) FROM list_version')
    na=$(sqlite3 "$db" "SELECT COUNT(*) FROM audit WHERE kind = 'list_version'")
    [ "$nv" = "$na" ] || fail "round $2: $nv versions but $na audit records"
    "$EMBARGO" audit verify --db "$db" >"$TMP/audit" 2>&1
    case $? in 0|2) ;; *) fail "round $2: audit chain"; cat "$TMP/audit" ;; esac
    if [ -e "$dir/current.emb" ]; then
        "$EMBARGO" index info -i "$dir/current.emb" >/dev/null 2>&1 || fail "round $2: current.emb does not open"
        [ "$(latest_shas "$db")" = "$(snapshot_shas "$dir/current.emb")" ] || behind=$((behind + 1))
    fi
    [ -z "$(temporaries "$dir")" ] || leftovers=$((leftovers + 1))
}
temporaries() {
    find "$1" -name '.dl-*' -o -name '.build-*' -o -name '.tmp-*' -o -name 'current.emb.tmp.*'
}
latest_shas() {
    sqlite3 "$1" "SELECT sha256 FROM list_version v WHERE version = (SELECT MAX(version) FROM list_version w WHERE w.source = v.source) ORDER BY sha256"
}
snapshot_shas() {
    "$EMBARGO" index info -i "$1" --json | sed -n 's/.*"sha256": "\([0-9a-f]*\)".*/\1/p' | sort
}
behind=0 leftovers=0

STORE=$TMP/store
kills=0 finished=0
for round in $(seq "$ROUNDS"); do
    if [ $((round % 2)) = 0 ]; then mode=normal; else mode=minus1; fi
    config "$TMP/lists.ini" "$mode"
    "$EMBARGO" update --config "$TMP/lists.ini" --db "$STORE/embargo.db" \
        --source un_sc_sanctions --source us_ofac_cons >/dev/null 2>&1 &
    pid=$!
    # a random moment in the first 0.9 s (a whole update takes about 1 s under ASan)
    sleep "$(awk -v r=$RANDOM 'BEGIN { printf "%.3f", (r % 900) / 1000 }')"
    if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); else finished=$((finished + 1)); fi
    wait "$pid" 2>/dev/null
    [ -e "$STORE/embargo.db" ] && check_store "$STORE" "$round"
done
echo "kill rounds: $ROUNDS ($kills killed mid-run, $finished had finished); after a kill the"
echo "  snapshot was behind the recorded versions $behind times (rebuilt by the next run) and"
echo "  temporary files were left $leftovers times (removed by the next run)"

# a clean re-run succeeds, leaves no temporary files and publishes the latest versions
config "$TMP/lists.ini" normal
"$EMBARGO" update --config "$TMP/lists.ini" --db "$STORE/embargo.db" \
    --source un_sc_sanctions --source us_ofac_cons >"$TMP/out" 2>&1 || { fail "re-run after kills"; cat "$TMP/out"; }
check_store "$STORE" final
left=$(temporaries "$STORE" | wc -l)
[ "$left" = 0 ] || fail "$left temporary files left after a clean run"
[ "$(latest_shas "$STORE/embargo.db")" = "$(snapshot_shas "$STORE/current.emb")" ] \
    || fail "current.emb does not hold the latest versions"
echo "versions recorded: $(sqlite3 "$STORE/embargo.db" 'SELECT COUNT(*) FROM list_version')"

# disk full and read-only store, on a small tmpfs
MNT=$TMP/small
mkdir -p "$MNT"
if mount -t tmpfs -o size=2500k tmpfs "$MNT" 2>/dev/null; then
    config "$TMP/lists.ini" normal
    "$EMBARGO" update --config "$TMP/lists.ini" --db "$MNT/embargo.db" --source us_ofac_cons >"$TMP/out" 2>&1 \
        || { fail "first update on tmpfs"; cat "$TMP/out"; }
    before=$(sqlite3 "$MNT/embargo.db" 'SELECT COUNT(*) FROM list_version')
    snap=$(sha256sum < "$MNT/current.emb")
    # the UN list (2 MB, about 0.5 MB compressed, plus its snapshot) cannot fit
    "$EMBARGO" update --config "$TMP/lists.ini" --db "$MNT/embargo.db" --source un_sc_sanctions >"$TMP/out" 2>&1
    rc=$?
    [ $rc = 1 ] || fail "disk full: exit $rc, expected 1"
    grep -q "No space left on device\|disk full" "$TMP/out" || { fail "disk full: no clear error"; cat "$TMP/out"; }
    cat "$TMP/out" | sed 's/^/    /'
    [ "$(sha256sum < "$MNT/current.emb")" = "$snap" ] || fail "disk full: published snapshot changed"
    after=$(sqlite3 "$MNT/embargo.db" 'SELECT COUNT(*) FROM list_version')
    "$EMBARGO" versions --verify --db "$MNT/embargo.db" >/dev/null 2>&1 || fail "disk full: a version was damaged"
    [ "$(sqlite3 "$MNT/embargo.db" 'PRAGMA integrity_check')" = ok ] || fail "disk full: integrity_check"
    echo "disk full: versions $before before, $after after"
    # read-only
    mount -o remount,ro "$MNT"
    "$EMBARGO" update --config "$TMP/lists.ini" --db "$MNT/embargo.db" --source us_ofac_cons >"$TMP/out" 2>&1
    rc=$?
    [ $rc = 1 ] || fail "read-only: exit $rc, expected 1"
    grep -qi "read-only" "$TMP/out" || { fail "read-only: no clear error"; cat "$TMP/out"; }
    cat "$TMP/out" | sed 's/^/    /'
    [ "$(sha256sum < "$MNT/current.emb")" = "$snap" ] || fail "read-only: published snapshot changed"
    umount "$MNT" && MNT=
    # room for the UN download but not for its compressed copy (about 170 KB) as well
    MNT=$TMP/small
    mount -t tmpfs -o size=8m tmpfs "$MNT" || { fail "cannot mount the second tmpfs"; MNT=; }
    [ -n "$MNT" ] || { echo "$failures failure(s)"; exit 1; }
    "$EMBARGO" update --config "$TMP/lists.ini" --db "$MNT/embargo.db" --source us_ofac_cons >/dev/null 2>&1 \
        || fail "first update on the second tmpfs"
    used=$(df -k --output=used "$MNT" | tail -1)
    dl=$(( $(stat -c %s "$DATA/un/UN_consolidated_2026-02-27.xml") / 1024 ))
    mount -o remount,size=$((used + dl + 60))k "$MNT"
    snap=$(sha256sum < "$MNT/current.emb")
    "$EMBARGO" update --config "$TMP/lists.ini" --db "$MNT/embargo.db" --source un_sc_sanctions >"$TMP/out" 2>&1
    rc=$?
    [ $rc = 1 ] || fail "disk full while storing: exit $rc, expected 1"
    grep -q "disk full" "$TMP/out" || { fail "disk full while storing: no clear error"; cat "$TMP/out"; }
    cat "$TMP/out" | sed 's/^/    /'
    [ "$(sha256sum < "$MNT/current.emb")" = "$snap" ] || fail "disk full while storing: snapshot changed"
    [ "$(sqlite3 "$MNT/embargo.db" 'SELECT COUNT(*) FROM list_version')" = 1 ] || fail "disk full while storing: a version was recorded"
    [ -z "$(temporaries "$MNT")" ] || fail "disk full while storing: temporary files left"
    "$EMBARGO" versions --verify --db "$MNT/embargo.db" >/dev/null 2>&1 || fail "disk full while storing: a version was damaged"
    umount "$MNT" && MNT=
else
    echo "skipped disk-full and read-only cases: cannot mount a tmpfs here"
fi

if [ $failures -ne 0 ]; then echo "$failures failure(s)"; exit 1; fi
echo "all kill/disk cases passed"
