#!/usr/bin/env bash
# Thread-safety tests under ThreadSanitizer (clang, the `tsan` preset): screening, comparing and
# analysing names from several threads on one shared snapshot (tests/tsan/threads_tsan.c: a
# plain pthread program, since Criterion's forking runner does not start under TSan) and
# `embargo batch` with 2 and 3 threads (tests/cli/batch_threads_same_output.case). Any data
# race fails the run (halt_on_error). Only the two programs needed are built.
# Usage: scripts/tsan.sh            (build dir: build/tsan, override with EMB_TSAN_DIR)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${EMB_TSAN_DIR:-build/tsan}
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_COMPILER=clang \
    -DCMAKE_C_FLAGS="-O1 -g -fsanitize=thread" >/dev/null
cmake --build "$dir" -j2 --target threads_tsan embargo_cli
# exitcode 66 is TSan's own; second_deadlock_stack helps read lock-order reports
export TSAN_OPTIONS="halt_on_error=1:exitcode=66:second_deadlock_stack=1${TSAN_OPTIONS:+:$TSAN_OPTIONS}"
(cd "$dir" && ctest --output-on-failure -R '^(tsan_threads|cli_batch_threads_same_output)$')
# the case file hides the setup commands' stderr: run a threaded batch here too, so a
# report is printed in full
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$dir/embargo" index build -o "$tmp/demo.emb" embargo_demo=data/demo/demo_sanctions.csv >/dev/null
awk 'BEGIN { split("Sichuan Anxun Information Technology Co Ltd|Vladimir Putin|Jane Example|ADRIAN DARYA|HAMAS", n, "|"); for (i = 1; i <= 2000; i++) printf "{\"id\": \"g%d\", \"name\": \"%s %d\"}\n", i, n[i % 5 + 1], i % 13 }' >"$tmp/q.jsonl"
"$dir/embargo" batch -i "$tmp/demo.emb" --input "$tmp/q.jsonl" --output "$tmp/t2.jsonl" --threads 2
"$dir/embargo" batch -i "$tmp/demo.emb" --input "$tmp/q.jsonl" --output "$tmp/t1.jsonl" --threads 1
cmp "$tmp/t1.jsonl" "$tmp/t2.jsonl"
echo "tsan: no data race found"
