#!/usr/bin/env bash
# Sets up, builds and runs every test (ctest labels unit and integration).
# Usage: scripts/test.sh [ctest options, e.g. -L unit]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup-debian.sh"
"$root/scripts/build.sh"
cd "$root/build"
ctest --output-on-failure --timeout 600 "$@"
