#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a libFuzzer target for the fuzz test suite (fuzz/meson.build):
#
#   run-fuzzer.sh FUZZER OUTPUT_CORPUS SEED_CORPUS [libFuzzer options…]
#
# 1. Fuzzes for the time the options give, from the seeds; new inputs go to OUTPUT_CORPUS
#    (libFuzzer writes to its first corpus folder, which must exist).
# 2. Runs every input kept, and the seeds, once more with leak checking and slow stack
#    unwinding: through GLib, libsoup and json-glib (built without frame pointers) only the
#    slow unwinder sees the frames that tests/lsan.supp names, so library leaks are told
#    apart from ours. Targets that fuzz with -detect_leaks=0 for speed are checked here.
set -eu
fuzzer=$1
out=$2
seeds=$3
shift 3
mkdir -p "$out"

# A target that fuzzes with -detect_leaks=0 must not check leaks at exit either: its leaks
# are checked by the replay, which can tell library leaks apart
case " $* " in
  *" -detect_leaks=0 "*)
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" "$fuzzer" "$@" "$out" "$seeds" ;;
  *)
    "$fuzzer" "$@" "$out" "$seeds" ;;
esac

echo "== Replaying the corpus with full leak checking"
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1:fast_unwind_on_malloc=0"
export ASAN_OPTIONS
exec "$fuzzer" -runs=0 -detect_leaks=1 -timeout=30 "$out" "$seeds"
