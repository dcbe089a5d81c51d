#!/usr/bin/env bash
# Herald benchmark harness: one command runs every scenario against herald-syncd and, with
# the same load generator, against the references (nats-server and mosquitto over their
# WebSocket listeners) and herald-trivial-server (the generator's own ceiling).
#
#   tests/bench/run.sh                 full run: medians of 3, build/bench/results.jsonl,
#                                      docs/PERFORMANCE.md (the table between the markers)
#   tests/bench/run.sh --smoke         tiny versions of the scenarios; exits non-zero when
#                                      anything was lost or duplicated (no speed assertion)
#
# Options: --runs N, --scenarios S1,S1p,S2,S2c,S3, --targets herald,nats,mqtt,trivial,
#   --loadgen PATH, --trivial-server PATH, --syncd PATH, --out-dir DIR, --no-install,
#   --no-doc, --threads T (load generator subscriber threads).
# Everything listens on and talks to 127.0.0.1 only.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD_DIR="${HERALD_BUILD_DIR:-$ROOT/build}"
PY=/usr/bin/python3
SMOKE=0
RUNS=3
SCENARIOS=""
TARGETS="herald,nats,mqtt,trivial"
LOADGEN=""
TRIVIAL=""
SYNCD=""
OUT_DIR=""
INSTALL=1
WRITE_DOC=1
THREADS=2

while [[ $# -gt 0 ]]; do
  case "$1" in
    --smoke) SMOKE=1 ;;
    --runs) RUNS="$2"; shift ;;
    --scenarios) SCENARIOS="$2"; shift ;;
    --targets) TARGETS="$2"; shift ;;
    --loadgen) LOADGEN="$2"; shift ;;
    --trivial-server) TRIVIAL="$2"; shift ;;
    --syncd) SYNCD="$2"; shift ;;
    --out-dir) OUT_DIR="$2"; shift ;;
    --no-install) INSTALL=0 ;;
    --no-doc) WRITE_DOC=0 ;;
    --threads) THREADS="$2"; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

if [[ $SMOKE == 1 ]]; then
  RUNS=1
  INSTALL=0
  WRITE_DOC=0
  SCENARIOS="${SCENARIOS:-S1,S1p,S2,S3}"
else
  SCENARIOS="${SCENARIOS:-S1,S1p,S2,S2c,S3}"
fi
OUT_DIR="${OUT_DIR:-$BUILD_DIR/bench}"
mkdir -p "$OUT_DIR"
RESULTS="$OUT_DIR/results.jsonl"
: > "$RESULTS"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/herald-bench.XXXXXX")"

log() { echo "run.sh: $*" >&2; }

# ------------------------------------------------------------------ binaries
LOADGEN="${LOADGEN:-$BUILD_DIR/tests/bench/herald-loadgen}"
TRIVIAL="${TRIVIAL:-$BUILD_DIR/tests/bench/herald-trivial-server}"
SYNCD="${SYNCD:-$BUILD_DIR/syncd/herald-syncd}"
if [[ ! -x $LOADGEN || ! -x $TRIVIAL || ! -x $SYNCD ]]; then
  log "building herald-syncd and the load generator in $BUILD_DIR"
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DHERALD_BUILD_BENCH=ON >/dev/null
  ninja -C "$BUILD_DIR" herald-syncd herald-loadgen herald-trivial-server
fi

SUDO=""
[[ $(id -u) != 0 ]] && SUDO=sudo
if [[ $INSTALL == 1 ]]; then
  missing=()
  command -v nats-server >/dev/null || [[ -x /usr/sbin/nats-server ]] || missing+=(nats-server)
  command -v mosquitto >/dev/null || [[ -x /usr/sbin/mosquitto ]] || missing+=(mosquitto)
  if [[ ${#missing[@]} -gt 0 ]]; then
    log "installing ${missing[*]}"
    $SUDO apt-get update -qq && $SUDO DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi
NATS_BIN="$(command -v nats-server || echo /usr/sbin/nats-server)"
MOSQ_BIN="$(command -v mosquitto || echo /usr/sbin/mosquitto)"

# Raise the descriptor limit to what the process may have (S3 needs it).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# ------------------------------------------------------------------ servers
SERVER_PID=""
SERVER_PORT=""
cleanup() {
  stop_server
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_listening() { # $1 log file; prints the port from "listening on ADDR:PORT"
  local i
  for i in $(seq 1 200); do
    if grep -q 'listening on' "$1" 2>/dev/null; then
      grep -m1 -o 'listening on [0-9.]*:[0-9]*' "$1" | sed 's/.*://'
      return 0
    fi
    sleep 0.05
  done
  log "server did not start; its log:"; cat "$1" >&2
  return 1
}

wait_port() { # $1 port
  local i
  for i in $(seq 1 200); do
    if "$PY" -c 'import socket,sys; socket.create_connection(("127.0.0.1",int(sys.argv[1])),0.2).close()' "$1" 2>/dev/null; then
      return 0
    fi
    sleep 0.05
  done
  return 1
}

start_server() { # $1 target
  local target="$1" logf="$WORK/$1.log"
  : > "$logf"
  case "$target" in
    herald)
      rm -f "$WORK"/herald.db*
      "$SYNCD" --listen 127.0.0.1:0 --database "$WORK/herald.db" --no-auth 2>"$logf" >/dev/null &
      SERVER_PID=$!
      SERVER_PORT="$(wait_listening "$logf")" ;;
    trivial)
      "$TRIVIAL" 2>"$logf" &
      SERVER_PID=$!
      SERVER_PORT="$(wait_listening "$logf")" ;;
    nats)
      local client_port; client_port="$(free_port)"; SERVER_PORT="$(free_port)"
      cat > "$WORK/nats.conf" <<EOF
listen: 127.0.0.1:$client_port
websocket { host: 127.0.0.1, port: $SERVER_PORT, no_tls: true }
EOF
      "$NATS_BIN" -c "$WORK/nats.conf" >"$logf" 2>&1 &
      SERVER_PID=$!
      wait_port "$SERVER_PORT" ;;
    mqtt)
      local plain_port; plain_port="$(free_port)"; SERVER_PORT="$(free_port)"
      # mosquitto 2.0.11 refuses to start with only a websockets listener, hence the plain one.
      cat > "$WORK/mosquitto.conf" <<EOF
listener $plain_port 127.0.0.1
listener $SERVER_PORT 127.0.0.1
protocol websockets
socket_domain ipv4
allow_anonymous true
EOF
      "$MOSQ_BIN" -c "$WORK/mosquitto.conf" >"$logf" 2>&1 &
      SERVER_PID=$!
      wait_port "$SERVER_PORT" ;;
  esac
}

stop_server() {
  if [[ -n $SERVER_PID ]]; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}

target_available() {
  case "$1" in
    herald|trivial) return 0 ;;
    nats) [[ -x $NATS_BIN ]] ;;
    mqtt) [[ -x $MOSQ_BIN ]] ;;
  esac
}

# ------------------------------------------------------------------ scenarios
# scenario_args NAME -> load generator arguments (empty: scenario not defined)
scenario_args() {
  if [[ $SMOKE == 1 ]]; then
    case "$1" in
      S1)  echo "--mode fanout --subscribers 50 --messages 200 --publishers 2 --pipeline 4" ;;
      S1p) echo "--mode fanout --subscribers 50 --messages 20 --rate 10" ;;
      S2)  echo "--mode channels --subscribers 200 --messages 1000 --publishers 4" ;;
      S3)  echo "--mode idle --subscribers 200 --hold 1" ;;
    esac
    return
  fi
  case "$1" in
    S1)        echo "--mode fanout --subscribers 1000 --messages 2000 --publishers 2 --pipeline 4" ;;
    S1p)       echo "--mode fanout --subscribers 1000 --messages 100 --rate 10" ;;
    S2)        echo "--mode channels --subscribers 5000 --messages 20000 --publishers 4" ;;
    S2c-500)   echo "--mode channels --subscribers 500 --messages 20000 --publishers 4" ;;
    S2c-2000)  echo "--mode channels --subscribers 2000 --messages 20000 --publishers 4" ;;
    S3)        echo "--mode idle --subscribers 10000 --hold 5" ;;
  esac
}

# Which targets a scenario runs on: the trivial server only speaks what fan-out needs.
scenario_targets() {
  case "$1" in
    S3) echo "herald nats mqtt" ;;
    *)  echo "herald nats mqtt trivial" ;;
  esac
}

expand_scenarios() {
  local s
  for s in ${SCENARIOS//,/ }; do
    if [[ $s == S2c ]]; then
      echo "S2c-500 S2c-2000"   # S2 itself is the 5,000 point
    else
      echo "$s"
    fi
  done
}

proto_of() { case "$1" in herald|trivial) echo herald ;; *) echo "$1" ;; esac; }

failures=0
for scenario in $(expand_scenarios); do
  args="$(scenario_args "$scenario")"
  if [[ -z $args ]]; then log "unknown scenario $scenario"; exit 2; fi
  for target in $(scenario_targets "$scenario"); do
    [[ ",$TARGETS," == *",$target,"* ]] || continue
    if ! target_available "$target"; then log "skipping $target: not installed"; continue; fi
    for run in $(seq 1 "$RUNS"); do
      start_server "$target"
      # shellcheck disable=SC2086
      if ! line="$("$LOADGEN" $args --proto "$(proto_of "$target")" --port "$SERVER_PORT" \
                   --server-pid "$SERVER_PID" --threads "$THREADS" --label "$scenario/$target/$run" \
                   2>"$WORK/loadgen.err")"; then
        log "$scenario/$target/$run: load generator failed"; cat "$WORK/loadgen.err" >&2
        failures=$((failures + 1))
      fi
      tail -n 1 "$WORK/loadgen.err" >&2
      [[ -n $line ]] && echo "$line" >> "$RESULTS"
      stop_server
    done
  done
done

# ------------------------------------------------------------------ summary
SUMMARY_ARGS=("$RESULTS" --smoke "$SMOKE")
if [[ $WRITE_DOC == 1 ]]; then
  SUMMARY_ARGS+=(--doc "$ROOT/docs/PERFORMANCE.md")
fi
if ! "$PY" "$ROOT/tests/bench/summarize.py" "${SUMMARY_ARGS[@]}"; then
  failures=$((failures + 1))
fi
log "results in $RESULTS"
[[ $failures == 0 ]]
