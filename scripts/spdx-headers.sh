#!/usr/bin/env bash
# Puts "SPDX-License-Identifier: Apache-2.0" (docs/LICENSING.md) at the top of every source file
# of the repository that has none: C++ (// ...), CMake, Python and shell (# ..., after a #! line).
# SQL migrations are left alone: their text is part of the schema history.
# Usage: scripts/spdx-headers.sh           add the line where it is missing
#        scripts/spdx-headers.sh --check   list the files without it; exit 1 if there are any
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
tag="SPDX-License-Identifier: Apache-2.0"
check=false
[ "${1:-}" = "--check" ] && check=true

comment_for() {
  case "$1" in
    *.cpp | *.h | *.h.in) echo "//" ;;
    *.py | *.sh | *.cmake | CMakeLists.txt | */CMakeLists.txt) echo "#" ;;
    *) echo "" ;;
  esac
}

missing=0
# Tracked files and new ones not ignored, so that files not yet committed are covered too.
while IFS= read -r -d '' file; do
  prefix="$(comment_for "$file")"
  [ -n "$prefix" ] && [ -f "$file" ] || continue
  head -n 3 "$file" | grep -q "SPDX-License-Identifier:" && continue
  missing=$((missing + 1))
  if $check; then
    echo "$file"
    continue
  fi
  if head -n 1 "$file" | grep -q '^#!'; then
    # After the interpreter line, which must stay first.
    sed -i "1a $prefix $tag" "$file"
  else
    sed -i "1i $prefix $tag" "$file"
  fi
done < <(git ls-files -z --cached --others --exclude-standard)

if $check; then
  [ "$missing" -eq 0 ] && echo "spdx-headers: every source file has its licence line"
  [ "$missing" -eq 0 ]
else
  echo "spdx-headers: added the licence line to $missing file(s)"
fi
