#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The long fuzzing run of fuzz/README.md: RUNS executions of each target (default 10 million),
# from its seed corpus and dictionary, new inputs and any crash kept in OUT/, then the corpus
# replayed with full leak checking (as in the test suite).
#
#   fuzz/long-run.sh BUILD_DIR OUT_DIR [RUNS] [TARGET…]
#
# BUILD_DIR is a clang build with -Dfuzzing=true -Db_sanitize=address,undefined.
# MAX_SECONDS, if set, stops each target after that long even if RUNS are not done.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$1" && pwd)
out=$2
runs=${3:-10000000}
shift 2
[ $# -gt 0 ] && shift
targets=${*:-json-guard identity seed devices-csv service-request}

mkdir -p "$out"
export G_SLICE=always-malloc G_DEBUG=gc-friendly
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export LSAN_OPTIONS="suppressions=$top/tests/lsan.supp:print_suppressions=0"
for target in $targets; do
  corpus="$out/corpus-$target"
  mkdir -p "$corpus"
  dict=
  [ -f "$top/fuzz/$target.dict" ] && dict="-dict=$top/fuzz/$target.dict"
  leaks=-detect_leaks=1
  [ "$target" = service-request ] && leaks=-detect_leaks=0
  echo "== $target: $runs executions"
  start=$(date +%s)
  limit=
  [ -n "${MAX_SECONDS:-}" ] && limit="-max_total_time=$MAX_SECONDS"
  asan=detect_leaks=1
  [ "$leaks" = -detect_leaks=0 ] && asan=detect_leaks=0
  ASAN_OPTIONS=$asan "$build/fuzz/fuzz-$target" -runs="$runs" $limit $leaks $dict \
    -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 -error_exitcode=1 \
    -artifact_prefix="$out/$target-" "$corpus" "$top/fuzz/corpus/$target" \
    >"$out/$target.log" 2>&1 || echo "$target: stopped on a finding, see $out/$target.log"
  echo "$target: $(( $(date +%s) - start )) s; $(grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$out/$target.log" | tr '\n' ' ')"
  ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0 "$build/fuzz/fuzz-$target" -runs=0 \
    -detect_leaks=1 "$corpus" "$top/fuzz/corpus/$target" >"$out/$target-replay.log" 2>&1 \
    && echo "$target: corpus of $(ls "$corpus" | wc -l) inputs replayed with leak checks: clean" \
    || echo "$target: corpus replay found a problem, see $out/$target-replay.log"
done
