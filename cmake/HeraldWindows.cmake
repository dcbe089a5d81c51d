# SPDX-License-Identifier: Apache-2.0
# The Windows build of the client (the daemon is Linux-only): compiler flags for MSVC, and for
# herald.exe a GUI-subsystem executable with its icon and VERSIONINFO, installed with the Qt
# runtime it needs (component client), from which packaging/windows/build-msi.sh makes the MSI.
# Included by the top CMakeLists.txt on WIN32 only. docs/PACKAGING.md, "Windows".
#
# Not built or run here (no Windows Qt on the Linux machines): only the resource file, through
# windres, and the MSI made from a stand-in tree are checked (tests/packaging/tst_msi.py).

# HeraldSettings gives every target GCC/Clang warning flags; cl.exe takes its own. /utf-8:
# the sources are UTF-8 (u"..." literals with non-ASCII text); /Zc:__cplusplus /permissive-:
# what Qt 6 requires of MSVC (Qt's targets add them too).
if(MSVC)
  set_property(TARGET herald_settings PROPERTY INTERFACE_COMPILE_OPTIONS
    /W4 /utf-8 /Zc:__cplusplus /permissive-)
endif()
# windows.h, if some header pulls it in, must not define min() and max().
target_compile_definitions(herald_settings INTERFACE NOMINMAX)

set(HERALD_WINDOWS_DIR ${PROJECT_SOURCE_DIR}/packaging/windows)
set(HERALD_WINDOWS_ICON ${PROJECT_SOURCE_DIR}/resources/icons/herald.ico)

# herald_windows_executable(<target>): no console window (WIN32_EXECUTABLE: WinMain through
# Qt's entry-point library), and herald.rc generated from packaging/windows/herald.rc.in by
# the same script build-msi.sh uses: icon resources/icons/herald.ico, VERSIONINFO from
# project(VERSION).
function(herald_windows_executable target)
  set_target_properties(${target} PROPERTIES WIN32_EXECUTABLE ON)
  set(rc ${CMAKE_CURRENT_BINARY_DIR}/${target}.rc)
  add_custom_command(OUTPUT ${rc}
    COMMAND ${CMAKE_COMMAND} -DVERSION=${PROJECT_VERSION} -DICON=${HERALD_WINDOWS_ICON}
      -DOUTPUT=${rc} -P ${HERALD_WINDOWS_DIR}/configure-rc.cmake
    DEPENDS ${HERALD_WINDOWS_DIR}/herald.rc.in ${HERALD_WINDOWS_DIR}/configure-rc.cmake
    COMMENT "Generating ${target}.rc (icon, VERSIONINFO ${PROJECT_VERSION})" VERBATIM)
  # The resource compiler reads the icon, which CMake does not see in the .rc.
  set_source_files_properties(${rc} PROPERTIES OBJECT_DEPENDS ${HERALD_WINDOWS_ICON})
  target_sources(${target} PRIVATE ${rc})
endfunction()

# herald_windows_install(<target> <component>): the executable into bin/, and at install time
# the runtime it needs next to it: Qt's DLLs, plugins and translations through windeployqt
# (qt_generate_deploy_app_script, Qt 6.3 and later; it also writes bin/qt.conf), the
# QtKeychain DLL, which is no Qt module and so not windeployqt's, and with MSVC its C++
# runtime DLLs app-locally (windeployqt copies MinGW's by itself).
function(herald_windows_install target component)
  install(TARGETS ${target} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT ${component})
  if(MSVC)
    set(CMAKE_INSTALL_SYSTEM_RUNTIME_DESTINATION ${CMAKE_INSTALL_BINDIR})
    set(CMAKE_INSTALL_SYSTEM_RUNTIME_COMPONENT ${component})
    include(InstallRequiredSystemLibraries)
  endif()
  if(TARGET Qt6Keychain::Qt6Keychain)
    get_target_property(type Qt6Keychain::Qt6Keychain TYPE)
    if(type STREQUAL "SHARED_LIBRARY")
      install(IMPORTED_RUNTIME_ARTIFACTS Qt6Keychain::Qt6Keychain
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT ${component})
    endif()
  endif()
  if(COMMAND qt_generate_deploy_app_script)
    qt_generate_deploy_app_script(TARGET ${target} FILENAME_VARIABLE deploy
      NO_UNSUPPORTED_PLATFORM_ERROR)
    install(SCRIPT ${deploy} COMPONENT ${component})
    return()
  endif()
  # Without it (a Qt before 6.3): windeployqt by hand, when there is one.
  find_program(HERALD_WINDEPLOYQT windeployqt HINTS ${QT6_INSTALL_PREFIX}/bin)
  if(NOT HERALD_WINDEPLOYQT)
    message(WARNING "no windeployqt: the install tree of ${target} lacks the Qt runtime")
    return()
  endif()
  install(CODE "execute_process(COMMAND \"${HERALD_WINDEPLOYQT}\" --no-compiler-runtime
      --dir \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}\"
      \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/$<TARGET_FILE_NAME:${target}>\"
      COMMAND_ERROR_IS_FATAL ANY)" COMPONENT ${component})
endfunction()
