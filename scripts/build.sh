#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Configures and builds Herald into build/ (Release with debug info, Ninja, ccache if present).
# Usage: scripts/build.sh [extra cmake -D options]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cmake -S "$root" -B "$root/build" -G Ninja "$@" >/dev/null
cmake --build "$root/build" --parallel "$(nproc)"
