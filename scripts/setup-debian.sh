#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs what building and testing Herald needs on Debian 12, if it is missing.
# Usage: scripts/setup-debian.sh
set -euo pipefail

packages=(
  cmake ninja-build g++ ccache pkg-config clang libclang-rt-dev
  qt6-base-dev qt6-websockets-dev qt6-httpserver-dev
  libqt6sql6-sqlite libqt6sql6-psql
  libexpected-dev libhttp-parser-dev libcurl4-openssl-dev
  sqlite3 libsqlite3-dev libmimalloc-dev postgresql curl python3-websockets python3-aiosmtpd python3-feedparser
  nginx openssl iproute2 util-linux
  qt6-svg-dev qtkeychain-qt6-dev qt6-l10n-tools qt6-tools-dev qt6-translations-l10n
  dunst xvfb xauth trayer gnome-keyring dbus x11-utils xdotool imagemagick desktop-file-utils appstream
  libsystemd-dev systemd dpkg-dev lintian groff-base man-db bash-completion flatpak-builder
  wixl msitools binutils-mingw-w64-x86-64 wine wine64
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all build dependencies are installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"

# nginx is a test tool here (tst_tlsproxy starts its own on loopback): do not leave the
# distribution's service running on port 80.
if [[ " ${missing[*]} " == *" nginx "* ]]; then
  $sudo systemctl disable --now nginx >/dev/null 2>&1 || $sudo service nginx stop >/dev/null 2>&1 || true
fi
