#!/usr/bin/env bash
# Sets up, builds and runs every test: every ctest label (unit, integration, postgresql, gui,
# architecture, bench), none of them allowed to drop out for a missing tool.
# Usage: scripts/test.sh [ctest options, e.g. -L unit]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup-debian.sh"
"$root/scripts/build.sh" -DHERALD_REQUIRE_ALL_TESTS=ON
cd "$root/build"
ctest --output-on-failure --timeout 600 "$@"
