#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs one fuzz target for a bounded time on a copy of its seed corpus, as the ctest test of
# that target. Fails on any finding (crash, leak, UBSan report, timeout, out of memory) and
# when fewer inputs than MIN_RUNS were executed, since a short run proves little.
# Usage: run.sh FUZZER SEEDS WORKDIR SECONDS MIN_RUNS [DICTIONARY]
# WORKDIR is emptied first; it keeps the grown corpus, the log and any crashing input.
set -euo pipefail
if [ $# -lt 5 ]; then
  echo "usage: $0 FUZZER SEEDS WORKDIR SECONDS MIN_RUNS [DICTIONARY]" >&2
  exit 2
fi
fuzzer=$1 seeds=$2 work=$3 seconds=$4 min_runs=$5 dictionary=${6:-}
name=$(basename "$fuzzer")

rm -rf "$work"
mkdir -p "$work/corpus" "$work/crashes"
cp -R "$seeds/." "$work/corpus/"

options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
         -artifact_prefix="$work/crashes/")
[ -n "$dictionary" ] && options+=(-dict="$dictionary")
# Appended, so they hold over whatever a sanitizer build put in the environment. ASan's
# default 256 MiB quarantine makes nearly every allocation touch fresh pages, which halves the
# speed here; 16 MiB still outlives all that one input allocates.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1:quarantine_size_mb=16"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:print_stacktrace=1"

status=0
"$fuzzer" "${options[@]}" "$work/corpus" >"$work/log" 2>&1 || status=$?

runs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$work/log" | tail -n 1)
rate=$(sed -n 's/^stat::average_exec_per_sec: *\([0-9]*\).*/\1/p' "$work/log" | tail -n 1)
echo "$name: ${runs:-?} executions at ${rate:-?}/s in a ${seconds} s run, at least $min_runs required;" \
  "corpus $(ls "$work/corpus" | wc -l) inputs"
if [ "$status" -ne 0 ]; then
  echo "$name: FAILED (exit $status); the end of its log ($work/log):"
  tail -n 60 "$work/log"
  for crash in "$work"/crashes/*; do
    [ -e "$crash" ] && echo "input kept: $crash (reproduce: $fuzzer $crash)"
  done
  exit 1
fi
if [ -z "$runs" ] || [ "$runs" -lt "$min_runs" ]; then
  echo "$name: FAILED: fewer executions than $min_runs (log: $work/log)"
  exit 1
fi
