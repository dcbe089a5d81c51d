# SPDX-License-Identifier: Apache-2.0
# herald_add_test(<name> SOURCES ... LIBS ... LABELS ...): one QTest executable per test.
function(herald_add_test name)
  cmake_parse_arguments(T "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE herald_settings Qt6::Test ${T_LIBS})
  add_test(NAME ${name} COMMAND ${name})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;HERALD_SYNCD=$<TARGET_FILE:herald-syncd>;HERALD_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
