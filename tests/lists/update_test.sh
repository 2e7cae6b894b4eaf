#!/usr/bin/env bash
# `embargo update` against a local HTTP server that serves the real list files: success,
# not modified (304 and same bytes), truncated body, server error, a list that suddenly
# halves, a timeout, a refused URL; then versions, diff of two recorded versions and
# index build --as-of.
# Usage: update_test.sh EMBARGO_BINARY DATA_DIR
set -u
EMBARGO=$1
DATA=$2
[ -f "$DATA/un/UN_consolidated_2026-02-27.xml" ] || { echo "skipped: no real data at $DATA"; exit 0; }
command -v sqlite3 >/dev/null || { echo "skipped: the sqlite3 program is not installed"; exit 0; }
HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d)
SERVER_PID=
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
python3 "$HERE/list_server.py" "$DATA" "$TMP/port" &
SERVER_PID=$!
for _ in $(seq 100); do [ -f "$TMP/port" ] && break; sleep 0.1; done
PORT=$(cat "$TMP/port") || { echo "server did not start"; exit 1; }
BASE="http://127.0.0.1:$PORT"
DB="$TMP/store/embargo.db"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# config MODE: the UN list served in MODE, the OFAC consolidated ZIP without validators
config() {
    cat > "$TMP/lists.ini" <<INI
[defaults]
timeout = 4
low_speed_time = 2
low_speed_limit = 100
connect_timeout = 2
[source un_sc_sanctions]
url = $BASE/$1/un/UN_consolidated_2026-02-27.xml
[source us_ofac_cons]
url = $BASE/nocache/ofac/CONS_ENHANCED_2025-01-10.ZIP
INI
}
# run EXPECTED_EXIT ARGS...: runs embargo update, keeps stdout/stderr in $TMP/out, $TMP/err
run() {
    local want=$1; shift
    "$EMBARGO" "$@" >"$TMP/out" 2>"$TMP/err"
    local got=$?
    if [ "$got" != "$want" ]; then
        fail "embargo $* exited $got, expected $want"; cat "$TMP/out" "$TMP/err"
    fi
}
has() { grep -qF -- "$2" "$TMP/$1" || { fail "$1 lacks: $2"; cat "$TMP/out" "$TMP/err"; }; }
nversions() { "$EMBARGO" versions --db "$DB" --json --source "$1" | wc -l; }
snap_hash() { "$EMBARGO" index info -i "$TMP/store/current.emb" --json | grep '"hash"'; }
update() { run "$1" update --config "$TMP/lists.ini" --db "$DB" --source un_sc_sanctions "${@:2}"; }

echo "== success"
config normal
run 0 update --config "$TMP/lists.ini" --db "$DB" --source un_sc_sanctions --source us_ofac_cons
has out "un_sc_sanctions: published version 1: 1003 entities"
has out "us_ofac_cons: published version 1: 443 entities"
has out "published $TMP/store/current.emb: 2 sources, 1446 entities"
run 0 index info -i "$TMP/store/current.emb"
has out "un_sc_sanctions"
[ "$(ls "$TMP/store/versions/un_sc_sanctions" | grep -c '\.zst$')" = 1 ] || fail "no compressed version file"
H1=$(snap_hash)

echo "== not modified"
run 0 update --config "$TMP/lists.ini" --db "$DB" --source un_sc_sanctions --source us_ofac_cons
has out "un_sc_sanctions: not modified (HTTP 304); version 1 is current"
has out "us_ofac_cons: unchanged (same SHA-256); version 1 is current"
has out "current.emb is current"
[ "$(snap_hash)" = "$H1" ] || fail "snapshot changed on not-modified"

echo "== truncated body"
config truncate
update 1
has out "un_sc_sanctions: failed"
has err "truncated"
has err "$BASE/truncate/un/UN_consolidated_2026-02-27.xml"
[ "$(nversions un_sc_sanctions)" = 1 ] || fail "a truncated download was recorded"
[ "$(snap_hash)" = "$H1" ] || fail "snapshot changed after a truncated download"

echo "== server error"
config error
update 1
has err "HTTP 500"
has err "un_sc_sanctions ($BASE/error/"
[ "$(nversions un_sc_sanctions)" = 1 ] || fail "a failed download was recorded"

echo "== a list that suddenly halves"
config halve
update 1
has out "un_sc_sanctions: held back"
has err "held back: 501 entities where version 1 had 1003"
[ "$(nversions un_sc_sanctions)" = 1 ] || fail "a halved list was recorded"
[ "$(snap_hash)" = "$H1" ] || fail "snapshot changed after a held-back list"

echo "== size cap"
config nocache
sed -i '/^\[source un_sc_sanctions\]/a max_bytes = 1024' "$TMP/lists.ini"
update 1
has err "download larger than max_bytes (1024 bytes)"
[ "$(nversions un_sc_sanctions)" = 1 ] || fail "an oversized download was recorded"

echo "== timeout; readers go on meanwhile"
config slow
"$EMBARGO" update --config "$TMP/lists.ini" --db "$DB" --source un_sc_sanctions >/dev/null 2>&1 &
BG=$!
sleep 0.5
run 0 versions --db "$DB" --source un_sc_sanctions
has out "un_sc_sanctions         1     1003 entities"
run 0 screen -i "$TMP/store/current.emb" --db "$DB" "Saddam Hussein"
has out "SADDAM HUSSEIN AL-TIKRITI"
wait $BG
start=$(date +%s)
update 1
has err "timed out"
[ $(( $(date +%s) - start )) -lt 30 ] || fail "timeout not enforced"
[ "$(nversions un_sc_sanctions)" = 1 ] || fail "a timed-out download was recorded"

echo "== refused URLs"
printf '[source un_sc_sanctions]\nurl = http://example.com/consolidated.xml\n' > "$TMP/lists.ini"
update 1
has err "only https URLs are allowed"
printf '[source un_sc_sanctions]\nurl = ftp://127.0.0.1/consolidated.xml\n' > "$TMP/lists.ini"
update 1
has err "only https URLs are allowed"

echo "== freshness: a snapshot from the store is fresh; once superseded it is refused"
run 0 screen -i "$TMP/store/current.emb" --require-fresh --json "Saddam Hussein"
has out '"basis": "checked"'
has out '"stale": false'
cp "$TMP/store/current.emb" "$TMP/before.emb"
run 0 screen -i "$TMP/before.emb" --db "$DB" --require-fresh "Saddam Hussein"
has out "lists: un_sc_sanctions published 2026-02-27, sha256 "

echo "== a real change: version 2, diff of recorded versions, as-of"
config minus1
update 0
has out "un_sc_sanctions: published version 2: 1002 entities (was 1003)"
run 1 screen -i "$TMP/before.emb" --db "$DB" --require-fresh "Saddam Hussein"
has err "refused: the snapshot $TMP/before.emb uses stale lists"
has err "un_sc_sanctions: a newer version is recorded"
run 0 screen -i "$TMP/before.emb" --db "$DB" "Saddam Hussein"
has out "superseded"
has out "STALE"
[ "$(nversions un_sc_sanctions)" = 2 ] || fail "version 2 not recorded"
[ "$(snap_hash)" != "$H1" ] || fail "snapshot not rebuilt after a new version"
run 0 diff --db "$DB" un_sc_sanctions@1 un_sc_sanctions@2
has out "0 added, 1 removed, 0 changed, 1002 unchanged"
run 0 diff --db "$DB" --summary un_sc_sanctions@previous un_sc_sanctions@latest
has out "0 added, 1 removed, 0 changed, 1002 unchanged"
run 1 diff --db "$DB" us_ofac_cons@previous us_ofac_cons@latest
has err "'us_ofac_cons' has only one version"
run 1 diff --db "$DB" un_sc_sanctions@1 un_sc_sanctions@7
has err "source 'un_sc_sanctions' has no version 7"
run 0 versions --db "$DB"
has out "un_sc_sanctions         2     1002 entities  published 2026-02-27"
run 1 index build -o "$TMP/old.emb" --as-of 2000-01-01 --db "$DB"
has err "no list version was in force on 2000-01-01"
[ ! -e "$TMP/old.emb" ] || fail "as-of build with no version wrote a file"
run 0 index build -o "$TMP/today.emb" --as-of "$(date -u +%Y-%m-%d)" --db "$DB"
run 0 index info -i "$TMP/today.emb"
has out "1445 entities"
run 2 index build -o "$TMP/x.emb" --as-of 2026-01-01 "$DATA/un/UN_consolidated_2026-02-27.xml"

echo "== a real shrink (max_shrink 0.4 in the config), accepted by the operator"
config halve
sed -i '/^\[source un_sc_sanctions\]/a max_shrink = 0.4' "$TMP/lists.ini"
update 1
has out "un_sc_sanctions: held back"
update 0 --allow-shrink
has out "un_sc_sanctions: published version 3: 501 entities (was 1002)"

echo "== one update at a time"
python3 -c 'import fcntl, sys, time
f = open(sys.argv[1], "a"); fcntl.lockf(f, fcntl.LOCK_EX); open(sys.argv[2], "w").close(); time.sleep(30)' \
    "$TMP/store/update.lock" "$TMP/locked" &
LOCKER=$!
for _ in $(seq 100); do [ -f "$TMP/locked" ] && break; sleep 0.1; done
update 1
has err "another update is running on this store"
kill $LOCKER; wait $LOCKER 2>/dev/null

echo "== audit records"
n=$(sqlite3 "$DB" "SELECT COUNT(*) FROM audit WHERE kind = 'list_version'")
[ "$n" = 4 ] || fail "expected 4 list_version audit records, found $n"
n=$(sqlite3 "$DB" "SELECT COUNT(*) FROM audit WHERE kind = 'list_held_back'")
[ "$n" = 2 ] || fail "expected 2 list_held_back audit records, found $n"

if [ $failures -ne 0 ]; then echo "$failures failure(s)"; exit 1; fi
echo "all update cases passed"
