#!/usr/bin/env bash
# Kill `monitor run`, `monitor add` and `decide` with SIGKILL at random moments, again and
# again, then check that the database is intact, the audit chain verifies, a run completes and
# the alerts are consistent (no pair alerted twice, every run with its audit record).
# A store that cannot be written gives a clear error.
# Usage: kill_test.sh EMBARGO_BINARY [ITERATIONS]   (run from the repository root)
set -u
EMBARGO=$1
ITER=${2:-20}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
DB="$TMP/store/embargo.db"
fail() { echo "FAIL: $*"; exit 1; }
sql() { python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print("\n".join("|".join(str(x) for x in r) for r in c.execute(sys.argv[2])))' "$DB" "$1"; }

"$EMBARGO" index build -o "$TMP/one.emb" embargo_demo=data/demo/demo_sanctions.csv >/dev/null 2>&1 \
    || fail "index build"
cp data/demo/demo_sanctions.csv "$TMP/two.csv"
echo 'new-1,Company,The Example Trading Company,,,,,,,TEST,2026-11-30,x' >>"$TMP/two.csv"
"$EMBARGO" index build -o "$TMP/two.emb" embargo_demo="$TMP/two.csv" >/dev/null 2>&1 || fail "index build"

# customers: the demo names (alerts) among many made-up ones (work for the screening threads)
python3 - "$TMP/customers.csv" "$TMP/more.csv" <<'EOF'
import csv, random, sys
rng = random.Random(7)
first = ["Maria", "John", "Wei", "Olga", "Ahmed", "Lucia", "Pierre", "Anna", "Kenji", "Fatima",
         "Carlos", "Ivan", "Sofia", "Jan", "Amir", "Elena", "Tom", "Yusuf", "Nora", "Pavel"]
last = ["Garcia", "Smith", "Zhang", "Ivanova", "Hassan", "Rossi", "Martin", "Kowalska", "Sato",
        "Khan", "Lopez", "Petrov", "Novak", "Berg", "Rahimi", "Costa", "Brown", "Demir"]
hits = ["Sichuan Anxun Information Technology Co Ltd", "PUTIN, Vladimir", "ADRIAN DARYA",
        "The Example Trading Co", "Integrity Technology Group"]
for path, n, start in ((sys.argv[1], 3000, 0), (sys.argv[2], 500, 2800)):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "country"])
        for i in range(start, start + n):
            name = hits[(i // 300) % len(hits)] if i % 300 == 0 else \
                f"{rng.choice(first)} {rng.choice(last)} {rng.choice(last)}"
            w.writerow([f"c{i}", name, rng.choice(["", "de", "fr", "cn", "ru"])])
EOF
"$EMBARGO" monitor add --db "$DB" --input "$TMP/customers.csv" 2>/dev/null || fail "monitor add"
# how long an uninterrupted full run takes here, so the kills land inside runs
cp "$DB" "$TMP/probe.db"
t0=$(date +%s%N)
"$EMBARGO" monitor run --db "$TMP/probe.db" -i "$TMP/one.emb" --full >/dev/null 2>&1 || fail "timing run"
span_ms=$((($(date +%s%N) - t0) / 1000000 + 20))
rm -f "$TMP"/probe.db*

killed=0
for i in $(seq 1 "$ITER"); do
    case $((i % 4)) in
    0) args=(monitor run --db "$DB" -i "$TMP/one.emb" --full) ;;
    1) args=(monitor run --db "$DB" -i "$TMP/two.emb") ;;
    2) args=(monitor add --db "$DB" --input "$TMP/more.csv") ;;
    3) alert=$(sql "SELECT max(id) FROM alert")
       args=(decide "${alert:-1}" false_positive --by tester --reason "kill test $i") ;;
    esac
    "$EMBARGO" "${args[@]}" >/dev/null 2>&1 &
    pid=$!
    # a random moment within the time a full run takes
    ms=$((RANDOM % span_ms))
    sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
    if kill -9 "$pid" 2>/dev/null; then killed=$((killed + 1)); fi
    wait "$pid" 2>/dev/null
    [ "$(sql 'PRAGMA integrity_check')" = ok ] || fail "integrity_check after iteration $i"
    "$EMBARGO" audit verify --db "$DB" >"$TMP/verify" || { cat "$TMP/verify"; fail "audit verify after iteration $i"; }
    # a change of portfolio during the loop: the second file alternately adds and edits
    sed -i "s/^c2801,\([^,]*\),/c2801,\1 X,/" "$TMP/more.csv"
done
echo "killed $killed of $ITER commands while running"

# a run after all that completes, and a full run finds nothing new
"$EMBARGO" monitor run --db "$DB" -i "$TMP/two.emb" >/dev/null 2>"$TMP/err" || { cat "$TMP/err"; fail "final run"; }
"$EMBARGO" monitor run --db "$DB" -i "$TMP/two.emb" --full >"$TMP/again" 2>"$TMP/err" || { cat "$TMP/err"; fail "full run"; }
[ -s "$TMP/again" ] && { cat "$TMP/again"; fail "a full run after a complete one reported new alerts"; }
dups=$(sql "SELECT customer_id, entity_id FROM alert WHERE previous IS NULL GROUP BY 1, 2 HAVING count(*) > 1")
[ -z "$dups" ] || fail "pairs alerted twice: $dups"
orphans=$(sql "SELECT r.id FROM monitor_run r LEFT JOIN audit a ON a.seq = r.audit_seq WHERE a.kind IS NOT 'monitor_run'")
[ -z "$orphans" ] || fail "runs without their audit record: $orphans"
undecided=$(sql "SELECT d.id FROM decision d LEFT JOIN audit a ON a.seq = d.audit_seq WHERE a.kind IS NOT 'decision'")
[ -z "$undecided" ] || fail "decisions without their audit record: $undecided"
[ "$(sql "SELECT count(*) FROM alert WHERE entity_id = 'embargo_demo-new-1'")" -ge 1 ] || fail "new entity never alerted"
"$EMBARGO" audit verify --db "$DB" || fail "final audit verify"

# a store that cannot be created or written: a clear error naming it, exit 1
touch "$TMP/file"
"$EMBARGO" monitor add --db "$TMP/file/sub/embargo.db" --input "$TMP/customers.csv" 2>"$TMP/err"
[ $? -eq 1 ] || fail "a store under a file must fail"
grep -q "$TMP/file/sub" "$TMP/err" || { cat "$TMP/err"; fail "the error must name the place"; }
mkdir "$TMP/ro" && cp "$DB" "$TMP/ro/embargo.db" && chmod 555 "$TMP/ro" && chmod 444 "$TMP/ro/embargo.db"
# root ignores permissions: run that command as nobody when we are root
AS=()
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
    AS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
    chmod 755 "$TMP" && chmod 644 "$TMP/more.csv"
fi
if [ ${#AS[@]} -gt 0 ] || [ ! -w "$TMP/ro" ]; then
    before=$(sql "SELECT count(*) FROM audit")
    "${AS[@]}" "$EMBARGO" monitor add --db "$TMP/ro/embargo.db" --input "$TMP/more.csv" 2>"$TMP/err"
    [ $? -eq 1 ] || fail "a read-only store must fail"
    grep -q "$TMP/ro/embargo.db.*readonly" "$TMP/err" || { cat "$TMP/err"; fail "the error must name the read-only store"; }
    cmp -s "$DB" "$TMP/ro/embargo.db" || fail "the read-only store must be left as it was"
    [ "$(sql "SELECT count(*) FROM audit")" = "$before" ] || fail "audit changed"
else
    echo "read-only check skipped: running as root without setpriv"
fi
chmod 755 "$TMP/ro"

# a full disk (a file size limit, so writes fail with EFBIG): clear error, nothing lost
mkdir "$TMP/full"
printf 'id,name\nk1,Kept Customer\n' >"$TMP/full/one.csv"
"$EMBARGO" monitor add --db "$TMP/full/e.db" --input "$TMP/full/one.csv" 2>/dev/null || fail "small add"
python3 bench/gen_customers.py 30000 >"$TMP/full/many.csv"
(ulimit -f 200; trap '' XFSZ; exec "$EMBARGO" monitor add --db "$TMP/full/e.db" --input "$TMP/full/many.csv") 2>"$TMP/err"
[ $? -eq 1 ] || fail "a full disk must fail the load"
grep -q "$TMP/full/e.db" "$TMP/err" || { cat "$TMP/err"; fail "the error must name the store"; }
grep -q "nothing stored" "$TMP/err" || { cat "$TMP/err"; fail "the error must say nothing was stored"; }
DB="$TMP/full/e.db"
[ "$(sql 'PRAGMA integrity_check')" = ok ] || fail "integrity_check after a full disk"
[ "$(sql 'SELECT count(*) FROM customer')" = 1 ] || fail "the earlier load must stay"
"$EMBARGO" audit verify --db "$DB" >/dev/null || fail "audit verify after a full disk"
echo "ok"
