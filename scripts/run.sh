#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Sets up, builds and starts herald-syncd on its embedded SQLite database with a demo
# application, channel, user and tokens, then prints how to publish and how to watch. When a
# display is present, the tray client starts too, following the demo channel as alice.
# Usage: scripts/run.sh [--listen 127.0.0.1:8080] [--data DIR]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
listen="127.0.0.1:8080"
data="${XDG_DATA_HOME:-$HOME/.local/share}/herald-demo"
while [ $# -gt 0 ]; do
  case "$1" in
    --listen) listen="$2"; shift 2 ;;
    --data) data="$2"; shift 2 ;;
    *) echo "usage: $0 [--listen ADDR:PORT] [--data DIR]" >&2; exit 2 ;;
  esac
done

"$root/scripts/setup-debian.sh"
"$root/scripts/build.sh" -DHERALD_BUILD_TESTS=OFF
syncd="$root/build/syncd/herald-syncd"
tray="$root/build/client/herald"
db="$data/herald.db"
mkdir -p "$data"

# The demo catalog and tokens are made once and kept in $data.
if [ ! -f "$data/tokens.env" ]; then
  "$syncd" app create --database "$db" demo --title "Demo application" >/dev/null
  "$syncd" channel create --database "$db" --app demo alerts --title "Alerts" >/dev/null
  "$syncd" user create --database "$db" alice >/dev/null
  {
    echo "ADMIN_TOKEN=$("$syncd" token create --database "$db" --kind admin --label demo-admin)"
    echo "PRODUCER_TOKEN=$("$syncd" token create --database "$db" --kind producer --app demo --label demo-producer)"
    echo "USER_TOKEN=$("$syncd" token create --database "$db" --kind user --user alice --label demo-alice)"
  } > "$data/tokens.env"
  chmod 600 "$data/tokens.env"
fi
# shellcheck disable=SC1091
source "$data/tokens.env"

cat <<MSG

herald-syncd is starting on http://$listen with the database $db
Demo: application "demo", channel "alerts", user "alice" (tokens in $data/tokens.env).

Watch notifications arrive (in another terminal):
  $syncd watch --server ws://$listen --user alice --token $USER_TOKEN --subscribe demo/alerts

Publish one:
  curl -s -H 'Authorization: Bearer $PRODUCER_TOKEN' -H 'Content-Type: application/json' \\
       -d '{"application":"demo","channel":"alerts","title":"Hello","message":"It works"}' \\
       http://$listen/api/v1/notifications
or
  HERALD_TOKEN=$PRODUCER_TOKEN $syncd publish --server http://$listen --app demo --channel alerts "It works"

Stop with Ctrl-C.
MSG
"$syncd" --listen "$listen" --database "$db" &
syncd_pid=$!
trap 'kill -TERM $syncd_pid 2>/dev/null; [ -n "${tray_pid:-}" ] && kill $tray_pid 2>/dev/null; wait' INT TERM
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x "$tray" ]; then
  # Give the daemon a moment to listen; the client reconnects by itself anyway.
  for _ in $(seq 50); do curl -fs "http://$listen/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  echo "Starting the tray client (herald) as alice, following demo/alerts."
  printf '%s' "$USER_TOKEN" | "$tray" --server "http://$listen" --user alice \
      --subscribe demo/alerts --token-stdin &
  tray_pid=$!
fi
wait $syncd_pid
