#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Sets up, builds and runs every test, in stages (one function each, run in this order):
#   suite     every ctest label of the normal build (unit, integration, postgresql, gui,
#             architecture, bench), none of them allowed to drop out for a missing tool
#   fuzz      a Clang build of the libFuzzer targets, each run for 40 s (over 1,000,000 inputs
#             in all; tests/fuzz/README.md)
#   sanitize  the daemon under ASan, LeakSanitizer and UBSan, driven by the integration tests
#             that reach the most of it (tests/README.md, "Sanitizers")
# Usage: scripts/test.sh [ctest options, e.g. -L unit]
#   ctest options go to the suite stage and leave out the others. HERALD_TEST_STAGES="suite
#   sanitize" picks stages by name.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

stage_suite() {
  "$root/scripts/build.sh" -DHERALD_BUILD_TESTS=ON -DHERALD_REQUIRE_ALL_TESTS=ON
  # Two at a time: most tests wait on processes and sockets, not on the CPU; every one of them
  # takes free ports, its own temporary directories and its own X display.
  (cd "$root/build" && ctest --output-on-failure --timeout 600 --parallel 2 "$@")
}

stage_fuzz() {
  local fuzz="$root/build-fuzz"
  CC=clang CXX=clang++ cmake -S "$root" -B "$fuzz" -G Ninja -DHERALD_FUZZ=ON \
    -DHERALD_BUILD_TESTS=OFF -DHERALD_BUILD_CLIENT=OFF >/dev/null
  cmake --build "$fuzz" --target herald_fuzzers --parallel "$(nproc)"
  # -V: the log shows how many inputs each target ran.
  ctest --test-dir "$fuzz" -L fuzz -j2 -V
}

# The daemon under ASan, LeakSanitizer and UBSan, driven by the suite's own test programs
# (HERALD_TEST_SYNCD) that reach the most of it: every thread and hand-off of a publish and an
# acknowledgement (publishdelivery, acks), hostile HTTP and WebSocket input (badinput,
# wsframing), shutdown under load and restarts (durability), sessions closed from other
# threads (revocation), resumes (resume), the inbox's queries, folds and frames (inbox), and
# the outbox's thread, libcurl transfers and a kill with deliveries in flight (webhooks,
# webhookdurability), the delivery policy's paths (deliveryoff, digests, usermail), and
# publishes over the WebSocket, batched across threads and answered back (wspublish).
# Within CI's budget (tests/README.md, "Sanitizers"): building the instrumented daemon is most of the stage, so it builds nothing
# else, and UBSan leaves out its vptr, null and alignment checks, which double the compile
# time (ASan reports a null dereference itself; scripts/sanitize.sh runs them all).
sanitize_tests=(tst_publishdelivery tst_acks tst_badinput tst_wsframing tst_durability
                tst_revocation tst_resume tst_inbox tst_webhooks tst_webhookdurability
                tst_deliveryoff tst_digests tst_usermail tst_wspublish tst_clusterresume
                tst_webhookmesh)
stage_sanitize() {
  local dir="$root/build-asan-ci" names
  cmake -S "$root" -B "$dir" -G Ninja -DHERALD_SANITIZE=address,undefined \
    -DHERALD_UBSAN_SKIP=vptr,null,alignment -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" \
    -DHERALD_BUILD_TESTS=OFF -DHERALD_BUILD_CLIENT=OFF >/dev/null
  cmake --build "$dir" --parallel "$(nproc)" --target herald-syncd
  # The test programs are the suite stage's (built already when it ran).
  cmake -S "$root" -B "$root/build" -G Ninja -DHERALD_BUILD_TESTS=ON -DHERALD_REQUIRE_ALL_TESTS=ON >/dev/null
  cmake --build "$root/build" --parallel "$(nproc)" --target "${sanitize_tests[@]}"
  names="$(IFS='|'; echo "${sanitize_tests[*]}")"
  (
    set -a
    # shellcheck source=/dev/null
    . "$dir/sanitizer-environment.sh"
    set +a
    export HERALD_TEST_SYNCD="$dir/syncd/herald-syncd"
    cd "$root/build" && ctest --output-on-failure --parallel "$(nproc)" -R "^(${names})\$"
  )
}

if [ $# -gt 0 ]; then
  stages="${HERALD_TEST_STAGES:-suite}"
else
  stages="${HERALD_TEST_STAGES:-suite fuzz sanitize}"
fi
"$root/scripts/setup-debian.sh"
for stage in $stages; do
  echo "== scripts/test.sh: stage $stage"
  "stage_$stage" "$@"
done
