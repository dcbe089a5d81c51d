#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the Windows installer of the Herald client, herald-VERSION-x64.msi, with wixl
# (msitools) from herald.wxs and an install tree of the client.
#
#   --stage DIR    the client's install tree from a Windows build:
#                    cmake --install <build> --component client --prefix DIR
#                  (bin\herald.exe, bin\qt.conf, the Qt DLLs and plugins/ that the deploy step
#                  put there). Every file of it goes into the MSI.
#   (no --stage)   a STAND-IN tree is made instead, for building and checking the MSI on Linux
#                  where no Windows build exists: bin/herald.exe is a stub PE that does nothing
#                  but carries the real icon and VERSIONINFO (needs binutils-mingw-w64; without
#                  it a text file), and the Qt DLLs and plugins are text files saying STAND-IN.
#                  The MSI is then named herald-VERSION-x64-STANDIN.msi: never ship it.
#   --output FILE  the MSI to write (default: in the current directory)
#   --version V    X.Y.Z (default: project(VERSION) of the top CMakeLists.txt)
#   --work DIR     keep the generated sources (.wxs fragments, herald.rc) in DIR
#
# Needs wixl, wixl-heat and msibuild (Debian msitools and wixl; MSYS2 mingw-w64-x86_64-msitools).
# wixl lacks two WiX elements, so their rows are added to the built database with msibuild:
# the MsiShortcutProperty row (AppUserModelID org.herald.Herald on the Start-menu shortcut) and
# the condition of the Autostart component (AUTOSTART=1). docs/PACKAGING.md, "Windows".
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
stage="" output="" version="" work=""
while [ $# -gt 0 ]; do
  case $1 in
    --stage) stage=$(cd "$2" && pwd); shift 2 ;;
    --output) output=$2; shift 2 ;;
    --version) version=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-msi: unknown argument $1 (--help)" >&2; exit 2 ;;
  esac
done
for tool in wixl wixl-heat msibuild cmake; do
  command -v "$tool" >/dev/null || { echo "build-msi: needs $tool (apt-get install wixl msitools)" >&2; exit 1; }
done

# The one version of the project, and its address, from the top CMakeLists.txt.
project=$(tr '\n' ' ' <"$source_dir/CMakeLists.txt" | grep -o 'project(Herald [^)]*)')
[ -n "$version" ] || version=$(sed -n 's/.* VERSION \([0-9][0-9.]*\) .*/\1/p' <<<"$project")
homepage=$(sed -n 's/.*HOMEPAGE_URL "\([^"]*\)".*/\1/p' <<<"$project")
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "build-msi: bad version '$version'" >&2; exit 1; }

if [ -n "$work" ]; then
  mkdir -p "$work"
  work=$(cd "$work" && pwd)
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi

# A stand-in for the client's Windows install tree, laid out as qt_generate_deploy_app_script
# (windeployqt) lays it out: binaries and Qt's DLLs in bin/, plugins/, translations/.
make_standin() {
  local tree=$1 file
  rm -rf "$tree"
  mkdir -p "$tree/bin"
  printf '[Paths]\nPrefix = ..\n' >"$tree/bin/qt.conf"
  for file in bin/Qt6Core.dll bin/Qt6Gui.dll bin/Qt6Widgets.dll bin/Qt6Network.dll \
      bin/Qt6Svg.dll bin/Qt6DBus.dll bin/qt6keychain.dll \
      plugins/platforms/qwindows.dll plugins/styles/qwindowsvistastyle.dll \
      plugins/imageformats/qsvg.dll plugins/imageformats/qico.dll \
      plugins/iconengines/qsvgicon.dll plugins/tls/qschannelbackend.dll \
      plugins/networkinformation/qnetworklistmanager.dll \
      translations/qt_de.qm translations/qt_fr.qm translations/qt_ru.qm; do
    mkdir -p "$tree/$(dirname "$file")"
    printf 'STAND-IN for %s, made by packaging/windows/build-msi.sh on Linux.\n' "$file" >"$tree/$file"
    printf 'Not a Windows binary: an MSI to ship is built with --stage from a Windows build.\n' >>"$tree/$file"
  done
  cmake -DVERSION="$version" -DICON="$source_dir/resources/icons/herald.ico" \
    -DOUTPUT="$work/herald.rc" -DCOMMENTS="STAND-IN, not the Windows build of herald" \
    -P "$here/configure-rc.cmake"
  local prefix=x86_64-w64-mingw32-
  if command -v ${prefix}windres >/dev/null && command -v ${prefix}ld >/dev/null; then
    # A GUI-subsystem x86-64 PE that returns at once, with herald.rc linked in.
    printf '%s\n' '  .section .rdata,"dr"' \
      '  .ascii "HERALD STAND-IN: not the Windows build of herald.exe\0"' \
      '  .text' '  .globl start' 'start:' '  xorl %eax, %eax' '  ret' >"$work/standin.s"
    ${prefix}as "$work/standin.s" -o "$work/standin.o"
    ${prefix}windres --preprocessor=cpp --preprocessor-arg=-xc "$work/herald.rc" \
      -O coff -o "$work/herald.res.o"
    ${prefix}ld --subsystem windows --major-subsystem-version 6 -e start \
      -o "$tree/bin/herald.exe" "$work/standin.o" "$work/herald.res.o"
  else
    echo "build-msi: no ${prefix}windres (binutils-mingw-w64-x86-64): herald.exe is a text file"
    printf 'STAND-IN for herald.exe (no binutils-mingw-w64 to build a stub PE)\n' \
      >"$tree/bin/herald.exe"
  fi
}

suffix=""
if [ -z "$stage" ]; then
  stage=$work/stage-STANDIN
  make_standin "$stage"
  suffix="-STANDIN"
  echo "build-msi: STAND-IN tree in $stage (the Windows binaries are not real)"
fi
[ -f "$stage/bin/herald.exe" ] || { echo "build-msi: no bin/herald.exe in $stage" >&2; exit 1; }
[ -n "$output" ] || output=$PWD/herald-$version-x64$suffix.msi
case $output in /*) ;; *) output=$PWD/$output ;; esac

# Fragments for every file but herald.exe (which herald.wxs names): bin/ and the rest. Their
# component GUIDs derive from the file paths, so they stay the same from build to build.
heat() {  # heat DIRECTORY_REF GROUP VAR: file list on stdin
  LC_ALL=C sort | wixl-heat --directory-ref "$1" --component-group "$2" --var "var.$3" -p '' |
    sed 's/Guid="\*"/Guid="*" Win64="yes"/'
}
(cd "$stage/bin" && find . -type f ! -name herald.exe | sed 's#^\./##') |
  heat BINDIR HeraldBin BinDir >"$work/bin.wxs"
(cd "$stage" && find . -type f ! -path './bin/*' | sed 's#^\./##') |
  heat INSTALLDIR HeraldData StageDir >"$work/data.wxs"

# wixl takes relative source paths only (relative to the working directory).
cd "$work"
rel() { realpath --relative-to="$work" "$1"; }
cp "$here/herald.wxs" "$work/herald.wxs"
wixl --arch x64 --output "$work/herald.msi" \
  -D WixlBuild=1 -D Version="$version" -D Homepage="$homepage" \
  -D StageDir="$(rel "$stage")" -D BinDir="$(rel "$stage/bin")" \
  -D IconFile="$(rel "$source_dir/resources/icons/herald.ico")" \
  herald.wxs bin.wxs data.wxs

# What wixl cannot write: the AppUserModelID of the shortcut (Windows Installer 5.0), and the
# condition that installs the autostart value only with AUTOSTART=1 (and removes it always).
q='`'
msibuild "$work/herald.msi" \
  -q "CREATE TABLE ${q}MsiShortcutProperty${q} (${q}MsiShortcutProperty${q} CHAR(72) NOT NULL,
      ${q}Shortcut_${q} CHAR(72) NOT NULL, ${q}PropertyKey${q} CHAR(0) NOT NULL,
      ${q}PropVariantValue${q} CHAR(0) NOT NULL PRIMARY KEY ${q}MsiShortcutProperty${q})" \
  -q "INSERT INTO ${q}MsiShortcutProperty${q} (${q}MsiShortcutProperty${q}, ${q}Shortcut_${q},
      ${q}PropertyKey${q}, ${q}PropVariantValue${q}) VALUES ('HeraldAppUserModelID',
      'HeraldShortcut', 'System.AppUserModel.ID', 'org.herald.Herald')" \
  -q "UPDATE ${q}Component${q} SET ${q}Condition${q} = 'AUTOSTART = 1 OR REMOVE ~= \"ALL\"'
      WHERE ${q}Component${q} = 'Autostart'"
mv "$work/herald.msi" "$output"
echo "build-msi: $output (Herald $version, x64, per-machine)"
