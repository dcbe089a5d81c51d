# SPDX-License-Identifier: Apache-2.0
# One INTERFACE target that every Herald target links: language level, warnings, Qt defines.
set(CMAKE_AUTOMOC ON)
set(CMAKE_AUTORCC ON)
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)
if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
  set(CMAKE_BUILD_TYPE RelWithDebInfo CACHE STRING "Build type" FORCE)
endif()

add_library(herald_settings INTERFACE)
target_compile_features(herald_settings INTERFACE cxx_std_20)
target_compile_options(herald_settings INTERFACE -Wall -Wextra -Wno-missing-field-initializers)
target_compile_definitions(herald_settings INTERFACE
  QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII QT_NO_URL_CAST_FROM_STRING
  QT_NO_NARROWING_CONVERSIONS_IN_CONNECT QT_USE_QSTRINGBUILDER)
target_include_directories(herald_settings INTERFACE ${PROJECT_BINARY_DIR})
