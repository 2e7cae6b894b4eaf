#!/usr/bin/env bash
# The screening benchmarks end to end, printing every figure:
#   1. release build of embargo, bench_screen and bench_gen_scale (configured when missing);
#   2. the universe snapshot (bench/build-universe.sh) and the innocent names
#      (bench/gen_innocent.py, needs python3-fake-factory);
#   3. bench_screen on the universe: open time, latency percentiles (Latin / non-Latin),
#      throughput of 100,000 queries on 1 and 2 threads, brute-force baseline on 200 queries
#      (speed ratio, top-5 recall);
#   4. accuracy (bench_accuracy): the name benchmark, the seed cases, the cross-script pairs,
#      the Putin variants and the innocent names, against the reference figures (docs/ACCURACY.md);
#   5. the scale list: about 5 million names recombined from the universe's name parts
#      (bench_gen_scale), its snapshot build (time, peak RSS, size) and bench_screen on it.
# Usage: bench/run-screen.sh [--quick] [--no-scale]
#   --quick     10,000-query batches, 20 baseline queries, a 500,000-name scale list
#   --no-scale  steps 1-4 only
# Environment: EMBARGO_DATA_DIR (default ../shared/data); EMB_BENCH_BUILD (build directory,
# default build/release); EMB_BENCH_OUT (where snapshots and generated files go, default build).
# Generated data stays under build/ and is never committed.
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0 scale=1
for a in "$@"; do
    case "$a" in
    --quick) quick=1 ;;
    --no-scale) scale=0 ;;
    *) echo "usage: bench/run-screen.sh [--quick] [--no-scale]" >&2; exit 2 ;;
    esac
done
bdir=${EMB_BENCH_BUILD:-build/release}
out=${EMB_BENCH_OUT:-build}
mkdir -p "$out"

echo "== 1. release build ($bdir)"
if [ ! -f "$bdir/CMakeCache.txt" ]; then
    if [ "$bdir" = build/release ]; then
        cmake --preset release >/dev/null
    else
        cmake -S . -B "$bdir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=gcc \
            -DCMAKE_C_FLAGS="-O2 -D_FORTIFY_SOURCE=2 -fstack-protector-strong" >/dev/null
    fi
fi
# always brought up to date: a program older than the library would refuse a newer snapshot
cmake --build "$bdir" -j2 --target embargo_cli bench_screen bench_gen_scale bench_accuracy >/dev/null
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "== 2. universe snapshot and query inputs"
EMBARGO_BIN=$bdir/embargo bench/build-universe.sh "$out/universe.emb"
innocent=$out/innocent_names.txt
if [ ! -s "$innocent" ]; then
    if /usr/bin/python3 -c 'import faker' 2>/dev/null; then
        /usr/bin/python3 bench/gen_innocent.py 10000 >"$innocent.tmp" && mv "$innocent.tmp" "$innocent"
    else
        echo "no innocent names: apt-get install python3-fake-factory, then run this again" >&2
    fi
fi

batch=100000 baseline=200 names=5000000
if [ $quick = 1 ]; then batch=10000 baseline=20 names=500000; fi

echo
echo "== 3. screening the universe"
"$bdir/bench/bench_screen" "$out/universe.emb" --innocent "$innocent" --batch $batch \
    --baseline $baseline --threads 2

echo
echo "== 4. accuracy"
"$bdir/bench/bench_accuracy" "${EMBARGO_DATA_DIR:-../shared/data}" "${EMBARGO_EVAL_DIR:-../shared/eval}" "$innocent"

[ $scale = 1 ] || exit 0
echo
echo "== 5. scale: $names names recombined from the universe's name parts"
csv=$out/scale_$names.csv
"$bdir/bench/bench_gen_scale" "$out/universe.emb" "$csv" --names $names
log=$(mktemp)
trap 'rm -f "$log"' EXIT
/usr/bin/time -v -o "$log" "$bdir/embargo" index build -o "$out/scale_$names.emb" "scale=$csv"
awk -F': ' -v size="$(stat -c %s "$out/scale_$names.emb")" '
    /Elapsed \(wall clock\)/ {wall = $2} /Maximum resident set size/ {rss = $2}
    /User time/ {cpu += $2} /System time/ {cpu += $2}
    END {printf "scale build: %s wall (%.1f s CPU), snapshot %.1f MB, peak RSS %.0f MiB\n",
         wall, cpu, size / 1e6, rss / 1024}' "$log"
# the full scan takes tens of seconds a query at this size: two queries give its order
"$bdir/bench/bench_screen" "$out/scale_$names.emb" --innocent "$innocent" --sample 1000 \
    --batch 0 --baseline 2
