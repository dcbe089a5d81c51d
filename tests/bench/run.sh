#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Herald benchmark harness: one command runs every scenario against herald-syncd and, with
# the same load generator, against the references (nats-server and mosquitto over their
# WebSocket listeners) and herald-trivial-server (the generator's own ceiling).
#
#   tests/bench/run.sh [SCENARIO...]   full run of the scenarios named (default: all of S1
#                                      S1p S2 S2h16 S2w S2c S3 S4 S5 S6 S7 S8 S9): medians
#                                      of 3, JSON lines in build/bench/results.jsonl, the
#                                      table in docs/PERFORMANCE.md (between the markers)
#   tests/bench/run.sh --quick S3 S4   one run each, shorter holds; leaves the doc alone
#                                      unless --doc is given
#   tests/bench/run.sh --smoke         tiny versions; exits non-zero when anything was lost
#                                      or duplicated (no speed assertion; ctest bench_smoke)
#
# Scenarios: S1 S1p S2 S2h16 (S2 through 16 publishing connections) S2w (S2's load, Herald
#   publishing over 16 WebSocket publishing sessions, 64 publish frames in flight each; NATS
#   runs its S2 right after, so the ratio is from one run) S2c (S2 at 500, 2,000 and 5,000
#   connections) S3 (10,000 idle, then as many as a process may open) S4 (durable ingest,
#   herald at synchronous FULL and NORMAL, and SQLite's own ceiling) S5 (register storm against 1,000,000 stored) S6 (relay
#   added latency: three herald-syncd nodes in a full mesh and in a line, transient and
#   persistent; Herald alone) S7 (inbox first page under S2's load) S8 (webhook fan-out: 5
#   webhook endpoints on a local receiver, tests/bench/webhooksink.py, and one behaviour group
#   routing the load's application to all 5; the outbox's drain of 10,000 persistent
#   notifications, and S2's load with and without the routing, each part on a fresh daemon).
#   S9 (delivery policy: POST /api/v1/digests/run timed for 1,000 and 10,000 users with 20
#   queued digest items each, the daemon's VmHWM before and after; and S2's and S4's loads
#   on a daemon holding 10,000 users' preferences, with and without 100 of them digesting
#   the load's application, beside a daemon without preferences; stores made by
#   tests/bench/policybench.py, every part on a fresh daemon).
# Options: --runs N, --scenarios S1,S2,..., --targets herald,nats,mqtt,trivial, --quick,
#   --doc, --no-doc, --perf (perf record -g of herald-syncd during S2w, S4, S5, S8's drains, S9's
#   10,000-user digest run and S9's loads on the preferences store; --perf-dwarf: with DWARF
#   call graphs, which this build's missing frame pointers need),
#   --loadgen PATH, --trivial-server PATH, --syncd PATH, --sqlite-ceiling PATH,
#   --store-fill PATH, --syncd-arg ARG (repeatable, passed to herald-syncd), --out-dir DIR,
#   --no-install, --threads T (load generator subscriber threads).
# Everything listens on and talks to 127.0.0.0/8 only. The soak (herald-syncd for ten minutes
# under mixed load, a kill -9 and revocations; memory, descriptors, loss) is soak.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD_DIR="${HERALD_BUILD_DIR:-$ROOT/build}"
PY=/usr/bin/python3
SMOKE=0
QUICK=0
RUNS=""
SCENARIOS=""
TARGETS="herald,nats,mqtt,trivial"
LOADGEN=""
TRIVIAL=""
SYNCD=""
CEILING=""
STOREFILL=""
SYNCD_ARGS=()
OUT_DIR=""
INSTALL=1
WRITE_DOC=""
PERF=0
PERF_DWARF=0
THREADS=2

while [[ $# -gt 0 ]]; do
  case "$1" in
    --smoke) SMOKE=1 ;;
    --quick) QUICK=1 ;;
    --runs) RUNS="$2"; shift ;;
    --scenarios) SCENARIOS="${SCENARIOS:+$SCENARIOS,}$2"; shift ;;
    --targets) TARGETS="$2"; shift ;;
    --loadgen) LOADGEN="$2"; shift ;;
    --trivial-server) TRIVIAL="$2"; shift ;;
    --syncd) SYNCD="$2"; shift ;;
    --sqlite-ceiling) CEILING="$2"; shift ;;
    --store-fill) STOREFILL="$2"; shift ;;
    --syncd-arg) SYNCD_ARGS+=("$2"); shift ;;
    --out-dir) OUT_DIR="$2"; shift ;;
    --no-install) INSTALL=0 ;;
    --doc) WRITE_DOC=1 ;;
    --no-doc) WRITE_DOC=0 ;;
    --perf) PERF=1 ;;
    --perf-dwarf) PERF=1; PERF_DWARF=1 ;;
    --threads) THREADS="$2"; shift ;;
    -h|--help) sed -n '2,39p' "$0"; exit 0 ;;
    S*) SCENARIOS="${SCENARIOS:+$SCENARIOS,}$1" ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

if [[ $SMOKE == 1 ]]; then
  RUNS=1
  INSTALL=0
  WRITE_DOC=0
  SCENARIOS="${SCENARIOS:-S1,S1p,S2,S2w,S3,S4,S5,S6,S7}"
elif [[ $QUICK == 1 ]]; then
  RUNS="${RUNS:-1}"
  WRITE_DOC="${WRITE_DOC:-0}"
fi
RUNS="${RUNS:-3}"
WRITE_DOC="${WRITE_DOC:-1}"
SCENARIOS="${SCENARIOS:-S1,S1p,S2,S2h16,S2w,S2c,S3,S4,S5,S6,S7,S8,S9}"
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
CEILING="${CEILING:-$BUILD_DIR/tests/bench/herald-sqlite-ceiling}"
STOREFILL="${STOREFILL:-$BUILD_DIR/tests/bench/herald-store-fill}"
if [[ ! -x $LOADGEN || ! -x $TRIVIAL || ! -x $SYNCD ]]; then
  log "building herald-syncd and the load generator in $BUILD_DIR"
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DHERALD_BUILD_BENCH=ON >/dev/null
  ninja -C "$BUILD_DIR" herald-syncd herald-loadgen herald-trivial-server \
    herald-sqlite-ceiling herald-store-fill
fi

SUDO=""
[[ $(id -u) != 0 ]] && SUDO=sudo
if [[ $INSTALL == 1 ]]; then
  missing=()
  command -v nats-server >/dev/null || [[ -x /usr/sbin/nats-server ]] || missing+=(nats-server)
  command -v mosquitto >/dev/null || [[ -x /usr/sbin/mosquitto ]] || missing+=(mosquitto)
  if [[ ${#missing[@]} -gt 0 ]]; then
    log "installing ${missing[*]}"
    $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi
NATS_BIN="$(command -v nats-server || echo /usr/sbin/nats-server)"
MOSQ_BIN="$(command -v mosquitto || echo /usr/sbin/mosquitto)"

# Raise the descriptor limit to what the process may have (S3 needs it). Servers and the
# generator inherit it; S3's second part aims just below it.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
FD_LIMIT="$(ulimit -n)"
[[ $FD_LIMIT == unlimited ]] && FD_LIMIT=65536
S3_MAX=$((FD_LIMIT - 500))

# ------------------------------------------------------------------ servers
SERVER_PID=""
SERVER_PORT=""
SERVER_DB=""       # herald: the database of the server running now
DB_TEMPLATE=""     # herald: copied to SERVER_DB before start when set (S5's filled store)
EXTRA_SYNCD=()     # herald: scenario's own flags
SERVER_AUTH=0      # herald: 1 checks tokens (S9's digest run) instead of --no-auth
PERF_PID=""
NODE_PIDS=()       # S6: the cluster's nodes, node 1 first
NODE_PORTS=()
SINK_PID=""        # S8: the webhook receiver
SINK_PORT=""
cleanup() {
  stop_perf
  stop_server
  stop_cluster
  stop_sink
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
  # Every client of the generator comes from 127.0.0.1: the per-address WebSocket cap is off.
  local target="$1" logf="$WORK/$1.log"
  : > "$logf"
  case "$target" in
    herald)
      SERVER_DB="$WORK/herald.db"
      rm -f "$SERVER_DB" "$SERVER_DB-wal" "$SERVER_DB-shm"
      [[ -n $DB_TEMPLATE ]] && cp "$DB_TEMPLATE" "$SERVER_DB"
      local auth=(--no-auth)
      [[ $SERVER_AUTH == 1 ]] && auth=()
      # Every generator connects from 127.0.0.1: the per-address limits stop floods (S4n passes
      # the request rate's 20,000/s and its burst within 10 s), and the bench measures speed.
      "$SYNCD" --listen 127.0.0.1:0 --database "$SERVER_DB" ${auth[@]+"${auth[@]}"} \
        --websockets-per-address 0 --address-rate 0 \
        ${SYNCD_ARGS[@]+"${SYNCD_ARGS[@]}"} ${EXTRA_SYNCD[@]+"${EXTRA_SYNCD[@]}"} \
        2>"$logf" >/dev/null &
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

# S6: three herald-syncd nodes of one cluster on loopback, each with its own database.
# mesh: node 2 dials 1, node 3 dials 1 and 2 (every node one hop from node 1); line: node 2
# dials 1, node 3 dials 2 (node 3 two hops from node 1). A link carries records both ways.
start_cluster() { # $1 mesh|line
  local topology="$1" n peers logf db port
  NODE_PIDS=(); NODE_PORTS=()
  for n in 1 2 3; do
    peers=()
    case "$topology/$n" in
      */2)    peers=(--peer "ws://127.0.0.1:${NODE_PORTS[0]}") ;;
      mesh/3) peers=(--peer "ws://127.0.0.1:${NODE_PORTS[0]}" --peer "ws://127.0.0.1:${NODE_PORTS[1]}") ;;
      line/3) peers=(--peer "ws://127.0.0.1:${NODE_PORTS[1]}") ;;
    esac
    logf="$WORK/node$n.log"; db="$WORK/node$n.db"
    : > "$logf"
    rm -f "$db" "$db-wal" "$db-shm"
    "$SYNCD" --listen 127.0.0.1:0 --database "$db" --no-auth --node-id "$n" --websockets-per-address 0 \
      --cluster bench --cluster-secret bench-secret ${peers[@]+"${peers[@]}"} \
      ${SYNCD_ARGS[@]+"${SYNCD_ARGS[@]}"} 2>"$logf" >/dev/null &
    NODE_PIDS+=($!)
    port="$(wait_listening "$logf")" || return 1
    NODE_PORTS+=("$port")
  done
  # Measure only once every link is live: each node lists its peers in /healthz.
  local want=(2 2 2)
  [[ $topology == line ]] && want=(1 2 1)
  "$PY" - "${NODE_PORTS[@]}" "${want[@]}" <<'PYEOF' || { log "S6: the $topology did not link up"; return 1; }
import json, sys, time, urllib.request
ports, want = sys.argv[1:4], [int(w) for w in sys.argv[4:7]]
deadline = time.time() + 20
while time.time() < deadline:
    live = []
    for p in ports:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{p}/healthz", timeout=2) as r:
                h = json.load(r)
            live.append(sum(1 for peer in h.get("peers", []) if peer.get("state") == "live"))
        except OSError:
            live.append(-1)
    if all(l >= w for l, w in zip(live, want)):
        sys.exit(0)
    time.sleep(0.1)
print(f"live links per node: {live}, wanted {want}", file=sys.stderr)
sys.exit(1)
PYEOF
}

stop_cluster() {
  local pid
  for pid in ${NODE_PIDS[@]+"${NODE_PIDS[@]}"}; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in ${NODE_PIDS[@]+"${NODE_PIDS[@]}"}; do
    wait "$pid" 2>/dev/null || true
  done
  NODE_PIDS=(); NODE_PORTS=()
}

# perf record -g of the server under test while the generator runs (--perf, S4 and S5).
start_perf() { # $1 scenario
  PERF_PID=""
  command -v perf >/dev/null || { log "perf not installed: no profile"; return 0; }
  local graph
  read -r -a graph <<<"$(perf_graph_args)"
  perf record -q "${graph[@]}" -p "$SERVER_PID" -o "$OUT_DIR/perf-$1.data" >/dev/null 2>&1 &
  PERF_PID=$!
  sleep 0.3
}

stop_perf() { # $1 scenario (empty: just stop)
  [[ -n $PERF_PID ]] || return 0
  kill -INT "$PERF_PID" 2>/dev/null || true
  wait "$PERF_PID" 2>/dev/null || true
  PERF_PID=""
  [[ -n ${1:-} ]] && perf_summary "$1"
  return 0
}

perf_graph_args() { # perf record's call-graph options for --perf / --perf-dwarf
  if [[ $PERF_DWARF == 1 ]]; then echo "--call-graph dwarf,16384 -F 499"; else echo "-g"; fi
}

# build/bench/perf-NAME.txt from build/bench/perf-NAME.data, also shown on stderr.
perf_summary() { # $1 name
  if [[ -s $OUT_DIR/perf-$1.data ]]; then
    local data="$OUT_DIR/perf-$1.data" sort
    # On-CPU samples by thread, by library, then the ten hottest functions (self time); with
    # DWARF call graphs also the herald functions that include the most (children).
    {
      for sort in comm dso dso,symbol; do
        echo "## self, by $sort"
        perf report -i "$data" --stdio --no-children --sort "$sort" -g none 2>/dev/null |
          grep -E '^ +[0-9.]+%' | head -n 10 | sed -E 's/ {3,}/   /g; s/ +- +-$//; s/ *$//' || true
      done
      if [[ $PERF_DWARF == 1 ]]; then
        echo "## including callees, herald functions"
        perf report -i "$data" --stdio --children --sort symbol -g none 2>/dev/null |
          grep -E '^ +[0-9.]+%' | grep 'herald::' | head -n 15 |
          sed -E 's/ {3,}/   /g; s/ +- +-$//; s/ *$//' | cut -c1-160 || true
      fi
    } > "$OUT_DIR/perf-$1.txt"
    log "profile of herald-syncd during $1: $OUT_DIR/perf-$1.txt"
    cat "$OUT_DIR/perf-$1.txt" >&2
  fi
  return 0
}

target_available() {
  case "$1" in
    herald|trivial) return 0 ;;
    nats) [[ -x $NATS_BIN ]] ;;
    mqtt) [[ -x $MOSQ_BIN ]] ;;
    sqlite) [[ -x $CEILING ]] ;;
  esac
}

# ------------------------------------------------------------------ scenarios
# scenario_args NAME [TARGET] -> load generator arguments (empty: scenario not defined).
# Only S2w depends on the target: Herald (and the trivial server, the generator's ceiling)
# publish over WebSocket, NATS runs S2.
scenario_args() {
  local hold=5 duration=10
  [[ $QUICK == 1 ]] && hold=2 && duration=5
  if [[ $SMOKE == 1 ]]; then
    case "$1" in
      S1)  echo "--mode fanout --subscribers 50 --messages 200 --publishers 2 --pipeline 4" ;;
      S1p) echo "--mode fanout --subscribers 50 --messages 20 --rate 10" ;;
      S2)  echo "--mode channels --subscribers 200 --messages 1000 --publishers 4" ;;
      S2h16) echo "--mode channels --subscribers 200 --messages 1000 --publishers 16" ;;
      S2w) if [[ $(proto_of "${2:-herald}") == herald ]]; then
             echo "--mode channels --subscribers 200 --messages 1000 --publishers 16 --publish-over ws --window 64"
           else scenario_args S2; fi ;;
      S3)  echo "--mode idle --subscribers 200 --hold 1" ;;
      S4)  echo "--mode ingest --publishers 4 --persistent --messages 1000000 --duration 1" ;;
      S5)  echo "--mode idle --subscribers 100 --fetch-last 10 --expect-backlog 10 --hold 0" ;;
      S6-*) echo "--mode fanout --subscribers 30 --messages 50 --rate 50" ;;
      S7)  echo "--mode channels --subscribers 100 --messages 100000000 --publishers 4 --duration 3 --app s7load" ;;
      S8)  scenario_args S2 ;;
      S8-drain) echo "--mode ingest --publishers 4 --persistent --messages 500" ;;
      S9|S9-s2) scenario_args S2 ;;
      S9-s4) scenario_args S4 ;;
    esac
    return
  fi
  case "$1" in
    S1)        echo "--mode fanout --subscribers 1000 --messages 2000 --publishers 2 --pipeline 4" ;;
    S1p)       echo "--mode fanout --subscribers 1000 --messages 100 --rate 10" ;;
    S2|S2c-5000) echo "--mode channels --subscribers 5000 --messages 20000 --publishers 4" ;;
    # S2 through 16 keep-alive connections, one request in flight each.
    S2h16)     echo "--mode channels --subscribers 5000 --messages 20000 --publishers 16" ;;
    # S2's load, Herald publishing over 16 WebSocket publishing sessions with 64 publish frames
    # unanswered each; NATS publishes as in S2.
    S2w) if [[ $(proto_of "${2:-herald}") == herald ]]; then
           echo "--mode channels --subscribers 5000 --messages 20000 --publishers 16 --publish-over ws --window 64"
         else scenario_args S2; fi ;;
    S2c-500)   echo "--mode channels --subscribers 500 --messages 20000 --publishers 4" ;;
    S2c-2000)  echo "--mode channels --subscribers 2000 --messages 20000 --publishers 4" ;;
    S3)        echo "--mode idle --subscribers 10000 --hold $hold" ;;
    # One generator process holds them all: its sockets plus a few descriptors stay below
    # the same limit. Four source addresses keep the ephemeral ports far from exhausted.
    S3-max)    echo "--mode idle --subscribers $S3_MAX --hold $hold --source-addresses 4 --connect-concurrency 256" ;;
    S4|S4n)    echo "--mode ingest --publishers 16 --persistent --messages 100000000 --duration $duration" ;;
    S5)        echo "--mode idle --subscribers 5000 --fetch-last 10 --expect-backlog 10 --hold 0" ;;
    S4sql)     echo "sqlite" ;;
    # 50 subscribers per node, 20 notifications/s for 20 s (10 s with --quick).
    S6-*)      echo "--mode fanout --subscribers 150 --messages $((duration * 40)) --rate 20" ;;
    # S2's load for the probe's whole run (it starts a second later and reads for `duration`).
    S7)        echo "--mode channels --subscribers 5000 --messages 100000000 --publishers 4 --duration $((duration + 3)) --app s7load" ;;
    # S8: S2's load (publish cost with and without routing), and 10,000 persistent
    # notifications from S4's 16 producers for the outbox's drain.
    S8)        scenario_args S2 ;;
    S8-drain)  echo "--mode ingest --publishers 16 --persistent --messages 10000" ;;
    # S9: the digest runs are timed by policybench.py; S2's and S4's loads beside them.
    S9|S9-s2)  scenario_args S2 ;;
    S9-s4)     scenario_args S4 ;;
  esac
}

# Which targets a scenario runs on: the trivial server only speaks what fan-out needs; no
# reference has a durable store with Herald's semantics or a per-client backlog.
scenario_targets() {
  case "$1" in
    S3|S3-max) echo "herald nats mqtt" ;;
    # S2w: NATS's S2 right after Herald's, the issue's reference.
    S2w)       echo "herald nats trivial" ;;
    S2h16)     echo "herald" ;;
    S4|S4n|S5|S6-*|S7|S8|S9) echo "herald" ;;
    S4sql)     echo "sqlite" ;;
    *)         echo "herald nats mqtt trivial" ;;
  esac
}

expand_scenarios() {
  local s list=",$SCENARIOS,"
  for s in ${SCENARIOS//,/ }; do
    case "$s" in
      S2c)
        echo "S2c-500 S2c-2000"
        # S2 is the 5,000 point when it runs too.
        [[ $list == *",S2,"* ]] || echo "S2c-5000" ;;
      S3) echo "S3"; [[ $SMOKE == 1 ]] || echo "S3-max" ;;
      S4) echo "S4"; [[ $SMOKE == 1 ]] || echo "S4n S4sql" ;;
      # S6-TOPOLOGY[-p]: -p publishes persistent notifications (each hop commits first).
      S6) if [[ $SMOKE == 1 ]]; then echo "S6-mesh S6-line-p"
          else echo "S6-mesh S6-mesh-p S6-line S6-line-p"; fi ;;
      *)  echo "$s" ;;
    esac
  done
}

proto_of() { case "$1" in herald|trivial) echo herald ;; *) echo "$1" ;; esac; }

# S5's store: herald-syncd creates the database (every migration it has), then it is filled
# directly while no daemon runs; every run starts from a copy.
prepare_s5_store() {
  local notifications=1000000 channels=5000
  [[ $SMOKE == 1 ]] && notifications=20000 && channels=100
  DB_TEMPLATE=""
  start_server herald
  stop_server
  log "S5: filling a store with $notifications notifications over $channels channels"
  "$STOREFILL" fill --database "$SERVER_DB" --notifications "$notifications" --channels "$channels"
  mv "$SERVER_DB" "$WORK/s5-template.db"
  rm -f "$SERVER_DB-wal" "$SERVER_DB-shm"
  DB_TEMPLATE="$WORK/s5-template.db"
}

# Adds the rows S4 left in the database to its JSON line: every 201 must be among them.
with_stored() { # $1 JSON line; uses SERVER_DB of the stopped server
  local stored
  if [[ ! -x $STOREFILL ]] || ! stored="$("$STOREFILL" count --database "$SERVER_DB")"; then
    echo "$1"; return
  fi
  "$PY" -c 'import json,sys
r = json.loads(sys.argv[1]); r["stored"] = int(sys.argv[2])
r["lost"] = max(0, r["published"] - r["stored"]); print(json.dumps(r))' "$1" "$stored"
}

# One run of S6-mesh, S6-mesh-p, S6-line or S6-line-p: publishes go to node 1, the
# subscribers are spread over the three nodes; the JSON line gets the topology and each
# node's hop count from node 1 (in the order of its "by_url").
run_s6() { # $1 scenario $2 run
  local scenario="$1" run="$2" topology args url_args=() pid_args=() rc=0 line p
  topology="${scenario#S6-}"; topology="${topology%-p}"
  args="$(scenario_args "$scenario")"
  [[ $scenario == *-p ]] && args+=" --persistent"
  if ! start_cluster "$topology"; then
    stop_cluster; return 1
  fi
  for p in "${NODE_PORTS[@]}"; do url_args+=(--subscribe-url "ws://127.0.0.1:$p"); done
  for p in "${NODE_PIDS[@]}"; do pid_args+=(--server-pid "$p"); done
  # shellcheck disable=SC2086
  line="$("$LOADGEN" $args --proto herald --port "${NODE_PORTS[0]}" "${url_args[@]}" \
          "${pid_args[@]}" --threads "$THREADS" --label "$scenario/herald/$run" \
          2>"$WORK/loadgen.err")" || rc=$?
  [[ $rc == 0 ]] || { log "$scenario/herald/$run: load generator failed ($rc)"; cat "$WORK/loadgen.err" >&2; }
  tail -n 4 "$WORK/loadgen.err" >&2
  stop_cluster
  [[ -n $line ]] || return 1
  "$PY" -c 'import json,sys
r = json.loads(sys.argv[1]); r["topology"] = sys.argv[2]
r["hops"] = [0, 1, 1] if sys.argv[2] == "mesh" else [0, 1, 2]; print(json.dumps(r))' \
    "$line" "$topology" >> "$RESULTS"
  [[ $rc == 0 ]]
}

# One run of S7: S2's publishers in the background, and the inbox probe (tests/bench/
# inboxprobe.py) reading one user's first page meanwhile; one JSON line: the generator's,
# with the probe's fields added.
run_s7() { # $1 run
  local run="$1" seconds=10 probe load rc=0
  [[ $QUICK == 1 ]] && seconds=5
  [[ $SMOKE == 1 ]] && seconds=1
  start_server herald
  # shellcheck disable=SC2046
  "$LOADGEN" $(scenario_args S7) --proto herald --port "$SERVER_PORT" --server-pid "$SERVER_PID" \
    --threads "$THREADS" --label "S7/herald/$run" >"$WORK/s7-load.json" 2>"$WORK/loadgen.err" &
  load=$!
  sleep 1
  probe="$("$PY" "$ROOT/tests/bench/inboxprobe.py" --port "$SERVER_PORT" --duration "$seconds" \
           --label "S7/herald/$run")" || rc=$?
  wait "$load" || rc=$?
  stop_server
  [[ $rc == 0 && -n $probe ]] || { log "S7/herald/$run failed ($rc)"; cat "$WORK/loadgen.err" >&2; return 1; }
  "$PY" -c 'import json,sys
r = json.loads(sys.argv[2]); r.update(json.loads(sys.argv[1])); print(json.dumps(r))' \
    "$probe" "$(cat "$WORK/s7-load.json")" >> "$RESULTS"
}

# S8: the webhook receiver (tests/bench/webhooksink.py, one process, every endpoint a path
# of it), until stop_sink.
start_sink() {
  local logf="$WORK/sink.log"
  : > "$logf"
  "$PY" "$ROOT/tests/bench/webhooksink.py" serve --no-stdin >"$logf" 2>&1 &
  SINK_PID=$!
  SINK_PORT="$(wait_listening "$logf")"
}

stop_sink() {
  if [[ -n $SINK_PID ]]; then
    kill -TERM "$SINK_PID" 2>/dev/null || true
    wait "$SINK_PID" 2>/dev/null || true
    SINK_PID=""
  fi
}

# S8's daemons may send to loopback receivers; all of them, routed or not, alike.
start_s8_server() {
  HERALD_ENDPOINTS_ALLOW_PRIVATE_NETWORKS=true start_server herald
}

# Adds to a JSON line what S8 records of every part: the daemon's warnings (its log, the
# --no-auth banner aside) and whether the part routed to endpoints.
s8_line() { # $1 JSON line $2 endpoints (0: none)
  local warnings
  warnings="$(grep -v -E '^[^ ]+ (info|debug) ' "$WORK/herald.log" | grep -v -e '--no-auth' || true)"
  [[ -n $warnings ]] && { log "herald-syncd's warnings:"; head -n 5 <<<"$warnings" >&2; }
  "$PY" -c 'import json,sys
r = json.loads(sys.argv[1]); r["endpoints"] = int(sys.argv[2])
r["daemon_warnings"] = len([l for l in sys.argv[3].splitlines() if l.strip()])
print(json.dumps(r))' "$1" "$2" "$warnings"
}

# One run of S8, one JSON line per part, each part on a fresh daemon:
#   S8-s2-plain    S2's load, no endpoints
#   S8-s2-routed   S2's load, the application routed to 5 webhooks (its 5 x 20,000 deliveries
#                  waited for afterwards: webhook_*)
#   S8-ingest-plain  10,000 persistent publishes, no endpoints (the drain's publish reference)
#   S8-drain       the same publishes routed to 5 webhooks: from starting the generator until
#                  the receiver saw all 50,000 deliveries and none is pending
#   S8-drain-cluster  the same, the daemon in a cluster of its own (a cluster secret, no
#                  peers): every job, and every batch of finished ones, is also a relay record
# The two S2 parts swap order from run to run, so that drift does not favour one.
run_s8() { # $1 run
  local run="$1" rc=0 line part order
  local helper="$ROOT/tests/bench/webhooksink.py"
  start_sink || return 1
  order="plain routed"
  [[ $((run % 2)) == 0 ]] && order="routed plain"
  for part in $order; do
    start_s8_server
    if [[ $part == routed ]]; then
      "$PY" "$helper" route --herald "$SERVER_PORT" --sink "$SINK_PORT" || { stop_server; stop_sink; return 1; }
    fi
    line=""
    # shellcheck disable=SC2046
    "$LOADGEN" $(scenario_args S8) --proto herald --port "$SERVER_PORT" --server-pid "$SERVER_PID" \
      --threads "$THREADS" --label "S8-s2-$part/herald/$run" >"$WORK/s8-load.json" \
      2>"$WORK/loadgen.err" || rc=$?
    tail -n 1 "$WORK/loadgen.err" >&2
    if [[ $part == routed && -s $WORK/s8-load.json ]]; then
      line="$("$PY" "$helper" wait --herald "$SERVER_PORT" --sink "$SINK_PORT" \
              --loadgen-json "$WORK/s8-load.json")" || rc=$?
    elif [[ -s $WORK/s8-load.json ]]; then
      line="$(tail -n 1 "$WORK/s8-load.json")"
    fi
    stop_server
    [[ -n $line ]] && s8_line "$line" "$([[ $part == routed ]] && echo 5 || echo 0)" >> "$RESULTS"
  done
  # The drain, after its publish reference.
  start_s8_server
  line="$("$LOADGEN" $(scenario_args S8-drain) --proto herald --port "$SERVER_PORT" \
          --server-pid "$SERVER_PID" --label "S8-ingest-plain/herald/$run" 2>"$WORK/loadgen.err")" || rc=$?
  tail -n 1 "$WORK/loadgen.err" >&2
  stop_server
  [[ -n $line ]] && s8_line "$line" 0 >> "$RESULTS"
  start_s8_server
  "$PY" "$helper" route --herald "$SERVER_PORT" --sink "$SINK_PORT" || { stop_server; stop_sink; return 1; }
  [[ $PERF == 1 && $run == 1 ]] && start_perf S8-drain
  s8_drain "$run" S8-drain || rc=$?
  [[ $PERF == 1 && $run == 1 ]] && stop_perf S8-drain
  HERALD_CLUSTER_SECRET=s8-bench-cluster start_s8_server
  "$PY" "$helper" route --herald "$SERVER_PORT" --sink "$SINK_PORT" || { stop_server; stop_sink; return 1; }
  [[ $PERF == 1 && $run == 1 ]] && start_perf S8-drain-cluster
  s8_drain "$run" S8-drain-cluster || rc=$?
  [[ $PERF == 1 && $run == 1 ]] && stop_perf S8-drain-cluster
  stop_sink
  [[ $rc == 0 ]] || { log "S8/herald/$run failed ($rc)"; cat "$WORK/loadgen.err" >&2; return 1; }
}

# S8's drain on the running (routed) daemon, labelled $2; stops the daemon.
s8_drain() { # $1 run $2 label
  local run="$1" label="$2" rc=0 line
  # shellcheck disable=SC2046
  line="$("$PY" "$ROOT/tests/bench/webhooksink.py" drain --herald "$SERVER_PORT" --sink "$SINK_PORT" \
          --pid "$SERVER_PID" -- "$LOADGEN" $(scenario_args S8-drain) --proto herald \
          --port "$SERVER_PORT" --server-pid "$SERVER_PID" --label "$label/herald/$run" \
          2>"$WORK/loadgen.err")" || rc=$?
  tail -n 1 "$WORK/loadgen.err" >&2
  stop_server
  [[ -n $line ]] && s8_line "$line" 5 >> "$RESULTS"
  if [[ -n $line ]]; then
    "$PY" -c 'import json,sys
r = json.loads(sys.argv[1]); r.setdefault("server_cpu_s", -1)
print(("{label}: {webhook_unique:,} of {webhook_expected:,} deliveries in {drain_s:.2f} s "
       "({deliveries_per_s:,}/s; publishing {publish_phase_s:.2f} s at {publishes_per_s:,.0f}/s, "
       "then {webhook_tail_s:.2f} s), {webhook_sink_connections} connections, duplicates "
       "{webhook_duplicates}, pending {webhook_pending}, failed {webhook_failed}; server cpu "
       "{server_cpu_s} s").format(**r), file=sys.stderr)' "$line"
  fi
  return "$rc"
}

# S9: delivery policy. The digest stores are made once per invocation and every run starts
# from copies: a daemon on an empty file (every migration) takes the digest application's
# notifications through the API (tests/bench/policybench.py seed: 100 channels x 10, their
# 201 answers kept as the items' payloads), then, stopped, policybench.py fill adds the
# users, their preferences, follows (2 channels each) and queued items (20 each), and
# `herald-syncd token create` an admin token. The preference stores of the publish parts:
# 10,000 users' preferences for other applications, with (prefs) and without (prefs-other)
# 100 of them also digesting the load's application, which none of them follows.
S9_DIGEST_USERS="1000 10000"
S9_PREF_USERS=10000
S9_LOAD_DIGESTERS=100
if [[ $SMOKE == 1 ]]; then
  S9_DIGEST_USERS="100 400"; S9_PREF_USERS=1000; S9_LOAD_DIGESTERS=10
fi
prepare_s9_stores() {
  local helper="$ROOT/tests/bench/policybench.py" n kind digesters
  DB_TEMPLATE=""
  start_server herald
  if ! "$PY" "$helper" seed --herald "$SERVER_PORT" --out "$WORK/s9-payloads.jsonl"; then
    stop_server; return 1
  fi
  stop_server
  mv "$SERVER_DB" "$WORK/s9-seeded.db"
  rm -f "$SERVER_DB-wal" "$SERVER_DB-shm"
  for n in $S9_DIGEST_USERS; do
    cp "$WORK/s9-seeded.db" "$WORK/s9-digest-$n.db"
    "$PY" "$helper" fill --database "$WORK/s9-digest-$n.db" --kind digest --users "$n" \
      --payloads "$WORK/s9-payloads.jsonl" || return 1
    "$SYNCD" token create --database "$WORK/s9-digest-$n.db" --kind admin --label s9 \
      >"$WORK/s9-digest-$n.token" 2>"$WORK/token.err" || { cat "$WORK/token.err" >&2; return 1; }
  done
  start_server herald
  stop_server
  mv "$SERVER_DB" "$WORK/s9-empty.db"
  rm -f "$SERVER_DB-wal" "$SERVER_DB-shm"
  for kind in prefs prefs-other; do
    digesters=$S9_LOAD_DIGESTERS
    [[ $kind == prefs-other ]] && digesters=0
    cp "$WORK/s9-empty.db" "$WORK/s9-$kind.db"
    "$PY" "$helper" fill --database "$WORK/s9-$kind.db" --kind prefs --users "$S9_PREF_USERS" \
      --load-digesters "$digesters" || return 1
  done
}

# Adds to an S9 JSON line the part's store and the daemon's warnings (its log, the --no-auth
# banner aside).
s9_line() { # $1 JSON line $2 variant (digest, plain, prefs, prefs-other)
  local warnings users=0 digesters=0
  warnings="$(grep -v -E '^[^ ]+ (info|debug) ' "$WORK/herald.log" | grep -v -e '--no-auth' || true)"
  [[ -n $warnings ]] && { log "herald-syncd's warnings:"; head -n 5 <<<"$warnings" >&2; }
  case "$2" in
    prefs) users=$S9_PREF_USERS; digesters=$S9_LOAD_DIGESTERS ;;
    prefs-other) users=$S9_PREF_USERS ;;
  esac
  "$PY" -c 'import json,sys
r = json.loads(sys.argv[1]); r["variant"] = sys.argv[2]
if sys.argv[2] != "digest":
    r["preference_users"] = int(sys.argv[3]); r["load_digesters"] = int(sys.argv[4])
r["daemon_warnings"] = len([l for l in sys.argv[5].splitlines() if l.strip()])
print(json.dumps(r))' "$1" "$2" "$users" "$digesters" "$warnings"
}

# One run of S9, one JSON line per part, each on a fresh daemon:
#   S9-digest-N        N users x 20 queued items: POST /api/v1/digests/run timed (admin token,
#                      the daemon checks tokens), VmHWM before and after
#   S9-s2-VARIANT      S2's load; S9-s4-VARIANT  S4's load (with the rows stored checked)
#     plain: no preferences; prefs: 10,000 users' preferences, 100 of them digesting the
#     load's application; prefs-other: the same 10,000 without those 100 rules
# The variants rotate their order from run to run, so that drift favours none.
run_s9() { # $1 run
  local run="$1" rc=0 n line load variant order perf_args=()
  local helper="$ROOT/tests/bench/policybench.py"
  for n in $S9_DIGEST_USERS; do
    DB_TEMPLATE="$WORK/s9-digest-$n.db"
    SERVER_AUTH=1
    start_server herald
    SERVER_AUTH=0
    perf_args=()
    if [[ $PERF == 1 && $run == 1 && $n == "${S9_DIGEST_USERS##* }" ]] && command -v perf >/dev/null; then
      perf_args=(--perf-out "$OUT_DIR/perf-S9-digest.data" --perf-args "$(perf_graph_args)")
    fi
    line="$("$PY" "$helper" run --herald "$SERVER_PORT" --database "$SERVER_DB" --pid "$SERVER_PID" \
            --token "$(cat "$WORK/s9-digest-$n.token")" --users "$n" \
            --label "S9-digest-$n/herald/$run" ${perf_args[@]+"${perf_args[@]}"})" || rc=$?
    stop_server
    [[ ${#perf_args[@]} -gt 0 ]] && perf_summary S9-digest
    [[ -n $line ]] && s9_line "$line" digest >> "$RESULTS"
  done
  DB_TEMPLATE=""
  case $((run % 3)) in
    1) order="plain prefs prefs-other" ;;
    2) order="prefs prefs-other plain" ;;
    *) order="prefs-other plain prefs" ;;
  esac
  for load in s2 s4; do
    for variant in $order; do
      DB_TEMPLATE=""
      [[ $variant != plain ]] && DB_TEMPLATE="$WORK/s9-$variant.db"
      start_server herald
      line=""
      [[ $PERF == 1 && $run == 1 && $variant == prefs ]] && start_perf "S9-$load-prefs"
      # shellcheck disable=SC2046
      line="$("$LOADGEN" $(scenario_args "S9-$load") --proto herald --port "$SERVER_PORT" \
              --server-pid "$SERVER_PID" --threads "$THREADS" \
              --label "S9-$load-$variant/herald/$run" 2>"$WORK/loadgen.err")" || rc=$?
      [[ $PERF == 1 && $run == 1 && $variant == prefs ]] && stop_perf "S9-$load-prefs"
      tail -n 1 "$WORK/loadgen.err" >&2
      stop_server
      [[ -n $line && $load == s4 ]] && line="$(with_stored "$line")"
      [[ -n $line ]] && s9_line "$line" "$variant" >> "$RESULTS"
    done
  done
  DB_TEMPLATE=""
  [[ $rc == 0 ]] || { log "S9/herald/$run failed ($rc)"; cat "$WORK/loadgen.err" >&2; return 1; }
}

failures=0
for scenario in $(expand_scenarios); do
  args="$(scenario_args "$scenario")"
  if [[ -z $args ]]; then log "unknown scenario $scenario"; exit 2; fi
  DB_TEMPLATE=""
  EXTRA_SYNCD=()
  [[ $scenario == S4n ]] && EXTRA_SYNCD=(--synchronous NORMAL)
  if [[ $scenario =~ ^S[57]$ && ",$TARGETS," == *",herald,"* ]]; then
    # Built only where libsqlite3-dev is: without it S5 and S7 are skipped, not failed.
    if [[ ! -x $STOREFILL ]]; then log "skipping $scenario: no herald-store-fill ($STOREFILL)"; continue; fi
    prepare_s5_store || { failures=$((failures + 1)); continue; }
  fi
  if [[ $scenario == S9 && ",$TARGETS," == *",herald,"* ]]; then
    prepare_s9_stores || { log "S9: making the stores failed"; failures=$((failures + 1)); continue; }
  fi
  targets=()
  for target in $(scenario_targets "$scenario"); do
    [[ $target == sqlite || ",$TARGETS," == *",$target,"* ]] || continue
    if ! target_available "$target"; then log "skipping $scenario on $target: not available"; continue; fi
    targets+=("$target")
  done
  # Run by run, every target in turn: a machine whose speed drifts during the benchmark
  # (other load, its host's) then moves every target's median alike, not one target's alone.
  for run in $(seq 1 "$RUNS"); do
    for target in "${targets[@]}"; do
      if [[ $target == sqlite ]]; then
        # SQLite's own ceiling, in the directory the daemon's database lives in.
        schema=()
        for f in "$ROOT"/syncd/store/sql/sqlite/*.sql; do schema+=(--schema "$f"); done
        seconds=3; [[ $QUICK == 1 ]] && seconds=1
        "$CEILING" --dir "$WORK" "${schema[@]}" --seconds "$seconds" --label S4sql --run "$run" \
          >> "$RESULTS" || failures=$((failures + 1))
        continue
      fi
      if [[ $scenario == S6-* ]]; then
        run_s6 "$scenario" "$run" || failures=$((failures + 1))
        continue
      fi
      if [[ $scenario == S7 ]]; then
        run_s7 "$run" || failures=$((failures + 1))
        continue
      fi
      if [[ $scenario == S8 ]]; then
        run_s8 "$run" || failures=$((failures + 1))
        continue
      fi
      if [[ $scenario == S9 ]]; then
        run_s9 "$run" || failures=$((failures + 1))
        continue
      fi
      args="$(scenario_args "$scenario" "$target")"
      start_server "$target"
      profile=0
      [[ $PERF == 1 && $target == herald && $run == 1 && $scenario =~ ^S([45]|2w$) ]] && profile=1
      [[ $profile == 1 ]] && start_perf "$scenario"
      rc=0
      # shellcheck disable=SC2086
      line="$("$LOADGEN" $args --proto "$(proto_of "$target")" --port "$SERVER_PORT" \
              --server-pid "$SERVER_PID" --threads "$THREADS" --label "$scenario/$target/$run" \
              2>"$WORK/loadgen.err")" || rc=$?
      [[ $profile == 1 ]] && stop_perf "$scenario"
      # S3-max counts what the server refused: not every attempt is expected to be held.
      if [[ $rc != 0 && ! ($rc == 3 && $scenario == S3-max) ]]; then
        log "$scenario/$target/$run: load generator failed ($rc)"; cat "$WORK/loadgen.err" >&2
        failures=$((failures + 1))
      fi
      tail -n 1 "$WORK/loadgen.err" >&2
      stop_server
      if [[ -n $line && $scenario =~ ^S4 && $target == herald ]]; then
        line="$(with_stored "$line")"
      fi
      [[ -n $line ]] && echo "$line" >> "$RESULTS"
    done
  done
done

# ------------------------------------------------------------------ summary
# latest.jsonl keeps the newest runs of every scenario and target, so that running some
# scenarios again updates their rows of the table and leaves the others.
SUMMARY_ARGS=("$RESULTS" --smoke "$SMOKE")
if [[ $WRITE_DOC == 1 ]]; then
  SUMMARY_ARGS+=(--merge-into "$OUT_DIR/latest.jsonl" --doc "$ROOT/docs/PERFORMANCE.md")
fi
if ! "$PY" "$ROOT/tests/bench/summarize.py" "${SUMMARY_ARGS[@]}"; then
  failures=$((failures + 1))
fi
log "results in $RESULTS"
[[ $failures == 0 ]]
