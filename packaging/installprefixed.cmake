# SPDX-License-Identifier: Apache-2.0
# Run at install time (install(CODE) in packaging/CMakeLists.txt): the files that name install
# paths follow the prefix given then (`cmake --install --prefix`, cpack's /usr), not the one the
# build was configured with, so that one build gives a correct package and a correct local install.
# In:  CMAKE_INSTALL_PREFIX (the install's), HERALD_PACKAGING_DIR, HERALD_STAGING_DIR,
#      HERALD_SYSTEMD_SERVICE_TYPE (notify or exec)
# Out: <prefix>/lib/systemd/system/herald-syncd.service and the configuration in <etc>/herald,
#      where <etc> is /etc for the prefix /usr (GNUInstallDirs' rule) and <prefix>/etc otherwise.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(HERALD_SYSCONFDIR /etc)
else()
  set(HERALD_SYSCONFDIR ${CMAKE_INSTALL_PREFIX}/etc)
endif()
set(HERALD_BINDIR ${CMAKE_INSTALL_PREFIX}/bin)
# One staging file per destination: installs into several roots may run at once (the tests).
string(MD5 destination "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}")
set(staged ${HERALD_STAGING_DIR}/${destination}/herald-syncd.service)
configure_file(${HERALD_PACKAGING_DIR}/systemd/herald-syncd.service.in ${staged} @ONLY)
file(INSTALL ${staged}
  DESTINATION ${CMAKE_INSTALL_PREFIX}/lib/systemd/system)
# 0640: the configuration may name secrets; the Debian postinst gives it the herald group.
file(INSTALL ${HERALD_PACKAGING_DIR}/herald-syncd.ini DESTINATION ${HERALD_SYSCONFDIR}/herald
  PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
