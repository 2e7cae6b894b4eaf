#!/usr/bin/env bash
# Module dependencies point one way (core <- unicode <- model <- ingest <- api <- programs),
# and programs use only the public header.
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
rank() { case "$1" in core) echo 0;; unicode) echo 1;; model) echo 2;; ingest|index) echo 3;;
         match) echo 4;; api|store) echo 5;; *) echo 9;; esac; }
for f in src/*/*.c src/*/*.h; do
    mod=$(basename "$(dirname "$f")")
    case "$mod" in
    cli|server|worker)
        # each other's program headers (../cli/cli.h) are fine; library internals are not
        if grep -nE '#include "\.\./' "$f" | grep -vE '"\.\./(cli|server|worker)/'; then
            echo "$f: a program includes library internals" >&2; fail=1
        fi
        continue;;
    esac
    while IFS= read -r dep; do
        if [ "$(rank "$dep")" -gt "$(rank "$mod")" ]; then
            echo "$f: $mod includes $dep (upward)" >&2; fail=1
        fi
    done < <(grep -oE '#include "\.\./[a-z]+/' "$f" | sed -E 's|.*\.\./([a-z]+)/|\1|')
done
exit $fail
