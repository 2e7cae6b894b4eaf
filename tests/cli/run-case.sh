#!/usr/bin/env bash
# Runs one CLI case file (curl's tests/data style). A case file holds:
#   setup: COMMAND        (any number; run first, with $EMBARGO and $TMP set)
#   args: ARGUMENTS       (the embargo command line, shell-quoted)
#   exit: N               (expected exit status)
#   --- stdout            (the rest of the file: expected standard output, exactly)
#   or --- stdout-contains (each following line must appear in standard output)
# Usage: run-case.sh EMBARGO_BINARY CASE_FILE   (run from the repository root)
set -u
EMBARGO=$1
case_file=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export EMBARGO TMP
args="" want_exit=0 mode="" expected=""
while IFS= read -r line || [ -n "$line" ]; do
    if [ -n "$mode" ]; then expected+="$line"$'\n'; continue; fi
    case "$line" in
    "setup: "*) eval "${line#setup: }" >/dev/null 2>&1 || { echo "setup failed: $line"; exit 1; } ;;
    "args: "*) args=${line#args: } ;;
    "exit: "*) want_exit=${line#exit: } ;;
    "--- stdout") mode=exact ;;
    "--- stdout-contains") mode=contains ;;
    esac
done < "$case_file"
out=$(eval "\"\$EMBARGO\" $args" 2>"$TMP/stderr"; echo "exit=$?")
got_exit=${out##*exit=}
out=${out%exit=*}
status=0
if [ "$got_exit" != "$want_exit" ]; then
    echo "exit status $got_exit, expected $want_exit"; status=1
fi
if [ "$mode" = exact ] && [ "$out" != "$expected" ]; then
    echo "stdout differs:"; diff <(printf '%s' "$expected") <(printf '%s' "$out"); status=1
fi
if [ "$mode" = contains ]; then
    while IFS= read -r want; do
        [ -z "$want" ] && continue
        if ! grep -qF -- "$want" <<<"$out"; then echo "stdout lacks: $want"; status=1; fi
    done <<<"$expected"
fi
if [ $status -ne 0 ]; then echo "--- stdout"; printf '%s' "$out"; echo "--- stderr"; cat "$TMP/stderr"; fi
exit $status
