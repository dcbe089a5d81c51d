#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Takes the screenshots of the tray client (setup dialog, tray menu, list window, empty list
# window) on a virtual desktop (Xvfb, dunst, trayer, gnome-keyring, a private D-Bus session)
# against a throwaway herald-syncd, into docs/screenshots/*.png.
# Usage: scripts/screenshots.sh [BUILD_DIR]   (default: build)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build}"
for tool in dbus-run-session Xvfb dunst trayer gnome-keyring-daemon xdotool import; do
  command -v "$tool" >/dev/null || { echo "screenshots: $tool is missing (scripts/setup-debian.sh)" >&2; exit 1; }
done
exec dbus-run-session -- /usr/bin/python3 "$root/tests/gui/screenshots.py" \
  "$build/syncd/herald-syncd" "$build/client/herald" "$root/docs/screenshots"
