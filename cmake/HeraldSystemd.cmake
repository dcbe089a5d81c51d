# SPDX-License-Identifier: Apache-2.0
# libsystemd for the daemon's readiness (sd_notify, systemd's Type=notify). Optional: without it
# the service file is generated with Type=exec, which systemd calls started once the process runs.
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(LIBSYSTEMD QUIET IMPORTED_TARGET libsystemd)
endif()
if(LIBSYSTEMD_FOUND)
  set(HERALD_HAVE_LIBSYSTEMD ON)
  set(HERALD_SYSTEMD_SERVICE_TYPE notify)
else()
  set(HERALD_HAVE_LIBSYSTEMD OFF)
  set(HERALD_SYSTEMD_SERVICE_TYPE exec)
  if(HERALD_REQUIRE_ALL_TESTS)
    message(FATAL_ERROR
      "tst_readiness needs libsystemd (Debian libsystemd-dev; scripts/setup-debian.sh installs it)")
  endif()
endif()
add_feature_info(Readiness HERALD_HAVE_LIBSYSTEMD
  "herald-syncd tells systemd when it listens (sd_notify from libsystemd-dev; Type=notify)")
