# SPDX-License-Identifier: Apache-2.0
# Writes herald.rc (icon and VERSIONINFO of herald.exe) from herald.rc.in. One script for both
# users: client/CMakeLists.txt runs it on Windows as a build step, build-msi.sh for the stand-in
# herald.exe it builds on Linux (so that both use the same resource file).
# Usage: cmake -DVERSION=X.Y.Z -DICON=path/herald.ico -DOUTPUT=path/herald.rc
#              [-DCOMMENTS=text] -P configure-rc.cmake
foreach(var VERSION ICON OUTPUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "configure-rc.cmake: -D${var}=... is required")
  endif()
endforeach()
if(NOT VERSION MATCHES "^([0-9]+)\\.([0-9]+)\\.([0-9]+)$")
  message(FATAL_ERROR "configure-rc.cmake: VERSION must be X.Y.Z, not '${VERSION}'")
endif()
# Windows Installer and Explorer compare four 16-bit numbers; the fourth is always 0 here.
set(HERALD_RC_VERSION ${VERSION})
set(HERALD_RC_VERSION_COMMAS "${CMAKE_MATCH_1},${CMAKE_MATCH_2},${CMAKE_MATCH_3},0")
file(TO_CMAKE_PATH "${ICON}" HERALD_RC_ICON)  # forward slashes: no escapes in the string
if(NOT DEFINED COMMENTS)
  set(COMMENTS "Tray client for self-hosted notifications")
endif()
set(HERALD_RC_COMMENTS "${COMMENTS}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/herald.rc.in ${OUTPUT} @ONLY)
