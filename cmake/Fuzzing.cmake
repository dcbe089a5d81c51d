# SPDX-License-Identifier: Apache-2.0
# HERALD_FUZZ: libFuzzer targets (tests/fuzz) for the parsers and codecs that a network peer
# reaches. libFuzzer comes with Clang's compiler-rt, so this needs Clang (Debian: clang and
# libclang-rt-dev of the same version).
#
# The code under test is compiled a second time into fuzz-only static libraries with coverage
# instrumentation (fuzzer-no-link), so that coverage guides the fuzzer while herald_shared,
# herald_syncd_core and every other target stay as they are (HERALD_SANITIZE or not), and
# building the fuzz targets compiles only the sources they use.
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "HERALD_FUZZ needs Clang (libFuzzer), not ${CMAKE_CXX_COMPILER_ID} "
    "(${CMAKE_CXX_COMPILER}). Configure a separate build directory with "
    "CC=clang CXX=clang++ or -DCMAKE_CXX_COMPILER=clang++.")
endif()

# -fno-sanitize-recover: without it UBSan prints and carries on, and the input passes.
set(HERALD_FUZZ_SANITIZERS address,undefined)
set(HERALD_FUZZ_COMPILE_OPTIONS -fsanitize=fuzzer-no-link,${HERALD_FUZZ_SANITIZERS}
  -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
set(HERALD_FUZZ_LINK_OPTIONS -fsanitize=fuzzer,${HERALD_FUZZ_SANITIZERS})
set(HERALD_FUZZ_RUN ${PROJECT_SOURCE_DIR}/tests/fuzz/run.sh)

# herald_fuzz_library(<name> FROM <library> MATCHING <regex>): a static library of those
# sources of <library> whose path matches <regex>, instrumented for fuzzing. Link what they
# need (Qt, other fuzz libraries) and set include directories on it as for <library>.
function(herald_fuzz_library name)
  cmake_parse_arguments(L "" "FROM;MATCHING" "" ${ARGN})
  get_target_property(sources ${L_FROM} SOURCES)
  list(FILTER sources INCLUDE REGEX "${L_MATCHING}")
  if(NOT sources)
    message(FATAL_ERROR "herald_fuzz_library(${name}): no source of ${L_FROM} matches "
      "'${L_MATCHING}'")
  endif()
  add_library(${name} STATIC ${sources})
  target_compile_options(${name} PRIVATE ${HERALD_FUZZ_COMPILE_OPTIONS})
endfunction()

# herald_add_fuzzer(<name> SOURCES <files> LIBS <libs> SECONDS <n> MIN_RUNS <n>): a libFuzzer
# executable, and the ctest test <name> (label fuzz) that runs it for SECONDS on a copy of
# corpus/<name>/ (with <name>.dict when it exists) and fails on any finding, or when fewer
# than MIN_RUNS inputs were executed.
function(herald_add_fuzzer name)
  cmake_parse_arguments(F "" "SECONDS;MIN_RUNS" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${F_SOURCES})
  target_link_libraries(${name} PRIVATE herald_settings ${F_LIBS})
  target_compile_options(${name} PRIVATE ${HERALD_FUZZ_COMPILE_OPTIONS})
  target_link_options(${name} PRIVATE ${HERALD_FUZZ_LINK_OPTIONS})
  add_dependencies(herald_fuzzers ${name})

  set(dictionary ${CMAKE_CURRENT_SOURCE_DIR}/${name}.dict)
  if(NOT EXISTS ${dictionary})
    set(dictionary "")
  endif()
  add_test(NAME ${name}
    COMMAND ${HERALD_FUZZ_RUN} $<TARGET_FILE:${name}> ${CMAKE_CURRENT_SOURCE_DIR}/corpus/${name}
            ${CMAKE_CURRENT_BINARY_DIR}/runs/${name} ${F_SECONDS} ${F_MIN_RUNS} ${dictionary})
  math(EXPR timeout "${F_SECONDS} * 2 + 60")
  set_tests_properties(${name} PROPERTIES LABELS fuzz TIMEOUT ${timeout})
endfunction()
