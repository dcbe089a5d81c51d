# SPDX-License-Identifier: Apache-2.0
# HERALD_SANITIZE: builds every Herald target with GCC's or Clang's sanitizers, so that the
# test suites find memory errors, undefined behaviour and data races. A comma-separated list:
#   address,undefined   ASan, LeakSanitizer and UBSan (one build, the usual pair)
#   thread              TSan (cannot share a process with ASan)
# Qt, GLib and D-Bus stay uninstrumented (Debian's): under TSan, tests/sanitizers/tsan/ tells
# it what Qt synchronises; tests/sanitizers/*.supp would silence reports of those libraries;
# herald_write_sanitizer_environment() gives every test the runtime options
# (tests/README.md, "Sanitizers").
set(HERALD_SANITIZE "" CACHE STRING
  "Sanitizers for every target, comma-separated: address,undefined or thread (empty: none)")
set_property(CACHE HERALD_SANITIZE PROPERTY STRINGS "" "address,undefined" "address" "undefined"
  "thread" "thread,undefined")

# UBSan's checks that a build leaves out, comma-separated (-fno-sanitize=...): CI's sanitize
# stage leaves out the three that cost the most to compile (scripts/test.sh says why).
set(HERALD_UBSAN_SKIP "" CACHE STRING "UBSan checks to leave out, e.g. vptr,null,alignment")

string(REPLACE "," ";" HERALD_SANITIZERS "${HERALD_SANITIZE}")
list(TRANSFORM HERALD_SANITIZERS STRIP)
list(REMOVE_ITEM HERALD_SANITIZERS "")
list(REMOVE_DUPLICATES HERALD_SANITIZERS)

foreach(sanitizer IN LISTS HERALD_SANITIZERS)
  if(NOT sanitizer MATCHES "^(address|undefined|thread)$")
    message(FATAL_ERROR "HERALD_SANITIZE: unknown sanitizer '${sanitizer}' "
      "(known: address, undefined, thread)")
  endif()
endforeach()
if("address" IN_LIST HERALD_SANITIZERS AND "thread" IN_LIST HERALD_SANITIZERS)
  message(FATAL_ERROR "HERALD_SANITIZE=${HERALD_SANITIZE}: address and thread cannot be combined "
    "(each owns the process's shadow memory); build them in two trees, e.g. "
    "scripts/sanitize.sh address,undefined and scripts/sanitize.sh thread")
endif()
if(HERALD_SANITIZERS AND NOT CMAKE_CXX_COMPILER_ID MATCHES "^(GNU|Clang)$")
  message(FATAL_ERROR "HERALD_SANITIZE needs GCC or Clang, not ${CMAKE_CXX_COMPILER_ID}")
endif()
add_feature_info(Sanitizers HERALD_SANITIZERS "built with -fsanitize=${HERALD_SANITIZE}")

if(HERALD_SANITIZERS)
  list(JOIN HERALD_SANITIZERS "," sanitize)
  # Directory-wide, before any target exists: the daemon, the client, the tests, their
  # fixtures and tools all share one runtime, so none of them may be left out.
  add_compile_options(-fsanitize=${sanitize} -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${sanitize})
  if("undefined" IN_LIST HERALD_SANITIZERS)
    # Without this UBSan prints and carries on, and the test passes.
    add_compile_options(-fno-sanitize-recover=undefined)
    if(HERALD_UBSAN_SKIP)
      add_compile_options(-fno-sanitize=${HERALD_UBSAN_SKIP})
    endif()
  endif()
  unset(sanitize)
endif()

# Under TSan, what Qt synchronises inside libQt6Core (QWaitCondition, QReadWriteLock, QSemaphore,
# queued calls, QThread::wait) is told to TSan by definitions that take Qt's place in every
# executable (tests/sanitizers/tsan/, tests/README.md "Sanitizers").
if("thread" IN_LIST HERALD_SANITIZERS)
  add_library(herald_tsan_qt OBJECT
    ${PROJECT_SOURCE_DIR}/tests/sanitizers/tsan/qtsymbols.h
    ${PROJECT_SOURCE_DIR}/tests/sanitizers/tsan/qtlocks.cpp
    ${PROJECT_SOURCE_DIR}/tests/sanitizers/tsan/qthandoffs.cpp)
  target_link_libraries(herald_tsan_qt PRIVATE Qt6::Core)
  set_target_properties(herald_tsan_qt PROPERTIES AUTOMOC OFF)
  link_libraries("$<$<STREQUAL:$<TARGET_PROPERTY:TYPE>,EXECUTABLE>:herald_tsan_qt>")
endif()

# The runtime that must come first in LD_PRELOAD when a test preloads a library of its own
# into an instrumented process (ASan refuses to start otherwise). GCC links it dynamically;
# Clang links it into each executable, so there is nothing to preload.
set(HERALD_SANITIZER_RUNTIME "")
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  if("address" IN_LIST HERALD_SANITIZERS)
    set(runtime libasan.so)
  elseif("thread" IN_LIST HERALD_SANITIZERS)
    set(runtime libtsan.so)
  endif()
  if(runtime)
    execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=${runtime}
      OUTPUT_VARIABLE runtime_path OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT IS_ABSOLUTE "${runtime_path}" OR NOT EXISTS "${runtime_path}")
      message(FATAL_ERROR "HERALD_SANITIZE: ${CMAKE_CXX_COMPILER} has no ${runtime} "
        "(Debian: libasan8, libtsan2)")
    endif()
    get_filename_component(HERALD_SANITIZER_RUNTIME "${runtime_path}" REALPATH)
  endif()
  unset(runtime)
  unset(runtime_path)
endif()

# The runtime options every test needs, in one file that ctest reads before it runs any test
# of this build (TEST_INCLUDE_FILES of the top directory): its environment reaches every
# test and every process a test starts (herald-syncd, herald); a test's own ENVIRONMENT
# property still wins. Reports of uninstrumented libraries are suppressed by
# tests/sanitizers/<sanitizer>.supp, each line with its reason.
function(herald_write_sanitizer_environment)
  if(NOT HERALD_SANITIZERS)
    return()
  endif()
  set(supp ${PROJECT_SOURCE_DIR}/tests/sanitizers)
  set(options "")
  if("address" IN_LIST HERALD_SANITIZERS)
    list(APPEND options
      ASAN_OPTIONS "detect_leaks=1:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=1"
      LSAN_OPTIONS "suppressions=${supp}/lsan.supp:print_suppressions=0")
  endif()
  if("undefined" IN_LIST HERALD_SANITIZERS)
    list(APPEND options
      UBSAN_OPTIONS "print_stacktrace=1:halt_on_error=1:suppressions=${supp}/ubsan.supp")
  endif()
  if("thread" IN_LIST HERALD_SANITIZERS)
    # halt_on_error: a daemon that a test stops with SIGKILL would otherwise take its
    # report, and so the failure, with it. ignore_noninstrumented_modules: the C library calls
    # that Qt and GLib make themselves (their eventfd wakeups, their memcpy) are not checked
    # for races, since TSan cannot see the locks that order them; the synchronisation those
    # calls make (pthread mutexes and conditions) still counts. die_after_fork=0: QProcess
    # starts a program with clone(CLONE_VM | CLONE_VFORK), and TSan's clone interceptor, run in
    # the child that shares the parent's memory, marks the parent as "forked while
    # multi-threaded", so that its next new thread would end it; the child itself only execs.
    list(APPEND options
      TSAN_OPTIONS "halt_on_error=1:second_deadlock_stack=1:ignore_noninstrumented_modules=1:die_after_fork=0:suppressions=${supp}/tsan.supp:print_suppressions=0")
  endif()
  if(HERALD_SANITIZER_RUNTIME)
    list(APPEND options HERALD_SANITIZER_RUNTIME "${HERALD_SANITIZER_RUNTIME}")
  endif()
  # What the daemon under test was built with (tests/fixtures/sanitizerbuild.h).
  list(JOIN HERALD_SANITIZERS "," sanitizers)
  list(APPEND options HERALD_SANITIZE "${sanitizers}")
  # The same for a shell (sanitizer-environment.sh): for tests run against this build's daemon
  # from another build's ctest, as scripts/test.sh's sanitize stage does.
  set(header "# Written by cmake/Sanitizers.cmake for HERALD_SANITIZE=${HERALD_SANITIZE}\n")
  set(script "${header}")
  set(shell "${header}")
  while(options)
    list(POP_FRONT options name value)
    if(name MATCHES "_OPTIONS$")
      # What the caller's environment already says comes last, so it wins: ASAN_OPTIONS=...
      # ctest can still change one option for one run.
      string(APPEND script "set(ENV{${name}} \"${value}:\$ENV{${name}}\")\n")
      string(APPEND shell "export ${name}=\"${value}:\${${name}:-}\"\n")
    else()
      string(APPEND script "set(ENV{${name}} \"${value}\")\n")
      string(APPEND shell "export ${name}=\"${value}\"\n")
    endif()
  endwhile()
  set(file ${CMAKE_CURRENT_BINARY_DIR}/sanitizer-environment.cmake)
  file(WRITE ${file} "${script}")
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/sanitizer-environment.sh "${shell}")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${file})
endfunction()
herald_write_sanitizer_environment()
