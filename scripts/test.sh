#!/usr/bin/env bash
# Sets up, builds and runs every test: every ctest label (unit, integration, postgresql, gui,
# architecture, bench), none of them allowed to drop out for a missing tool; then the fuzz
# stage (tests/fuzz/README.md): a Clang build of the libFuzzer targets, each run for 40 s
# (over 1,000,000 inputs in all), skipped when ctest options pick a part of the main suite.
# Usage: scripts/test.sh [ctest options, e.g. -L unit]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup-debian.sh"
"$root/scripts/build.sh" -DHERALD_REQUIRE_ALL_TESTS=ON
cd "$root/build"
ctest --output-on-failure --timeout 600 "$@"
[ $# -eq 0 ] || exit 0

fuzz="$root/build-fuzz"
CC=clang CXX=clang++ cmake -S "$root" -B "$fuzz" -G Ninja -DHERALD_FUZZ=ON \
  -DHERALD_BUILD_TESTS=OFF -DHERALD_BUILD_CLIENT=OFF >/dev/null
cmake --build "$fuzz" --target herald_fuzzers --parallel "$(nproc)"
# -V: the log shows how many inputs each target ran.
ctest --test-dir "$fuzz" -L fuzz -j2 -V
