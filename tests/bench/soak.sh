#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Herald soak: herald-syncd (embedded SQLite, auth on, 127.0.0.1) under mixed load for a
# bounded time, with faults on the way, then a verdict (docs/RELIABILITY.md, "Soak").
#
#   tests/bench/soak.sh                    600 s of load, build/syncd/herald-syncd
#   tests/bench/soak.sh --duration 45      a short run (ctest soak_smoke)
#
# At the same time: publishers (persistent and transient, four channels, some to named
# recipients only, some batches) that record every id answered 201 and retry what got no
# answer; WebSocket subscribers that come and go and resume with lastNotificationId; a reader
# that stops reading; a REST client that pipelines without reading; two token revocations
# (API, command line) at 35 % of the run; one kill -9 at 50 % and a restart on the same
# database. RSS, descriptors and /healthz are sampled every second.
# Verdict: JSON lines on stdout (also in OUT_DIR/verdict.jsonl), then a summary; the exit
# status is 0 only when every check passed. Progress lines on stderr every 30 s.
#
# Options: --syncd PATH, --duration S, --out-dir DIR (default build/soak: the daemon's log,
#   samples.jsonl, verdict.jsonl), --warmup S (after each start, before the RSS start point;
#   default a tenth of the duration, 3 to 60), --publishers N, --subscribers N,
#   --interval S, --quiet S, --rss-tolerance F, --progress S, --seed N,
#   --allow-backlog-repeats (pass although a session got a backlog item again as a live
#   frame, which PROTOCOL.md rules out; see docs/RELIABILITY.md, "Soak").
# Needs Debian's python3-websockets. Everything talks to 127.0.0.0/8 only.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BUILD_DIR="${HERALD_BUILD_DIR:-$ROOT/build}"
PY=/usr/bin/python3
SYNCD=""
DURATION=600
OUT_DIR=""
PASS=()

while [[ $# -gt 0 ]]; do
  case "$1" in
    --syncd) SYNCD="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --out-dir) OUT_DIR="$2"; shift ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    --warmup|--publishers|--subscribers|--interval|--quiet|--rss-tolerance|--progress|--seed)
      PASS+=("$1" "$2"); shift ;;
    --allow-backlog-repeats) PASS+=("$1") ;;
    *) echo "soak.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

SYNCD="${SYNCD:-$BUILD_DIR/syncd/herald-syncd}"
OUT_DIR="${OUT_DIR:-$BUILD_DIR/soak}"
if [[ ! -x $SYNCD ]]; then
  echo "soak.sh: no herald-syncd at $SYNCD (build it, or give --syncd PATH)" >&2
  exit 2
fi
if ! "$PY" -c 'import websockets' 2>/dev/null; then
  echo "soak.sh: $PY lacks websockets (apt-get install python3-websockets)" >&2
  exit 2
fi
# Each reconnecting client holds a descriptor for a while; the default soft limit is plenty,
# but a low one would show up as failed connects rather than as a finding.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# A hard bound on top of the program's own: load, drain, audit and the quiet end.
LIMIT=$(( ${DURATION%.*} + 480 ))
exec timeout --kill-after=15 "$LIMIT" "$PY" -B "$HERE/soak/soak.py" --syncd "$SYNCD" \
  --duration "$DURATION" --out-dir "$OUT_DIR" ${PASS[@]+"${PASS[@]}"}
