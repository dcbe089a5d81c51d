#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Makes resources/icons/herald.ico, the Windows icon of herald.exe, its Start-menu shortcut and
# its entry in "Installed apps", from resources/icons/herald.svg. The .ico is committed, so a
# Windows build needs neither tool; run this after changing the SVG and commit both.
#   Sizes: 16, 20, 24, 32, 40, 48, 64 as 32-bit bitmaps (what Explorer and the taskbar pick
#   from at 100-200 % scaling), 256 as PNG (the large views).
# Needs rsvg-convert (Debian librsvg2-bin) and icotool (icoutils).
# Usage: packaging/windows/make-icon.sh [OUTPUT.ico]
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
svg=$source_dir/resources/icons/herald.svg
output=${1:-$source_dir/resources/icons/herald.ico}
for tool in rsvg-convert icotool; do
  command -v "$tool" >/dev/null || { echo "make-icon: needs $tool (apt-get install librsvg2-bin icoutils)" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bitmaps=()
for size in 16 20 24 32 40 48 64; do
  rsvg-convert --width "$size" --height "$size" --keep-aspect-ratio "$svg" -o "$work/$size.png"
  bitmaps+=("$work/$size.png")
done
rsvg-convert --width 256 --height 256 --keep-aspect-ratio "$svg" -o "$work/256.png"
icotool --create --output "$work/herald.ico" "${bitmaps[@]}" --raw="$work/256.png"
mv "$work/herald.ico" "$output"
icotool --list "$output"
