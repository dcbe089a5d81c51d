#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds Herald with sanitizers and runs tests under them (tests/README.md, "Sanitizers").
# Usage: scripts/sanitize.sh [address,undefined|thread] [ctest options, e.g. -R '^tst_acks$']
#   address,undefined (the default): ASan, LeakSanitizer and UBSan, into build-asan/
#   thread: ThreadSanitizer, into build-tsan/
# Without ctest options either runs the whole suite, every label: the thread build covers the
# daemon's store thread, WebSocket workers and relay through every integration test, and the
# store thread, epoll dispatcher and fixtures' threads in the unit tests; all of them pass.
# GCC by default; CXX=clang++ scripts/sanitize.sh ... for Clang (a tree is configured with
# one compiler: use a fresh BUILD_DIR for the other). BUILD_DIR=... picks another directory.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
variant="${1:-address,undefined}"
[ $# -gt 0 ] && shift
case "$variant" in
  address,undefined) dir="${BUILD_DIR:-$root/build-asan}" ;;
  thread) dir="${BUILD_DIR:-$root/build-tsan}" ;;
  *) echo "usage: $0 [address,undefined|thread] [ctest options]" >&2; exit 2 ;;
esac

cmake -S "$root" -B "$dir" -G Ninja -DHERALD_REQUIRE_ALL_TESTS=ON -DHERALD_SANITIZE="$variant" >/dev/null
cmake --build "$dir" --parallel "$(nproc)"
cd "$dir"
# The tests' own timeouts hold under either sanitizer (times: tests/README.md).
ctest --output-on-failure --parallel "$(nproc)" "$@"
