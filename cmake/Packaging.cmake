# SPDX-License-Identifier: Apache-2.0
# Debian packages from one build: `cpack -G DEB` in the build directory makes herald-syncd
# (install component server) and herald (component client), each with a -dbgsym package of its
# debug information and stripped binaries (docs/PACKAGING.md; tst_deb builds, lints, installs
# and purges them). Runtime libraries come from dpkg-shlibdeps; the rest is named below.
set(HERALD_PACKAGE_MAINTAINER "Herald maintainers <maintainers@herald.example.org>"
  CACHE STRING "Maintainer field of the Debian packages (also in packaging/debian/changelog)")

set(CPACK_PACKAGE_NAME herald)
set(CPACK_PACKAGE_VENDOR "The Herald authors")
set(CPACK_PACKAGE_CONTACT ${HERALD_PACKAGE_MAINTAINER})
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
# Each component's description starts with its own synopsis line; CPack would put the
# project's description before it unless the summary is CPack's own default.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CMAKE_PROJECT_NAME} built using CMake")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_GENERATOR DEB)
# Packages install to /usr, and the configuration to /etc (an absolute destination, which only
# a DESTDIR install puts inside the package): packaging/installprefixed.cmake.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)

set(CPACK_COMPONENTS_ALL)
if(HERALD_BUILD_SYNCD)
  list(APPEND CPACK_COMPONENTS_ALL server)
endif()
if(HERALD_BUILD_CLIENT)
  list(APPEND CPACK_COMPONENTS_ALL client)
endif()
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SOURCE herald)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE ${PROJECT_HOMEPAGE_URL})
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Debug information goes into <package>-dbgsym; the binaries in the packages are stripped.
set(CPACK_DEBIAN_DEBUGINFO_PACKAGE ON)
set(CPACK_POST_BUILD_SCRIPTS ${PROJECT_SOURCE_DIR}/packaging/debian/fixdbgsym.cmake)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(deb ${PROJECT_SOURCE_DIR}/packaging/debian)
set(CPACK_DEBIAN_SERVER_PACKAGE_NAME herald-syncd)
# Descriptions: a synopsis line, then lines of at most 72 characters (lintian: 80).
set(CPACK_COMPONENT_SERVER_DESCRIPTION "self-hosted notification server
herald-syncd receives notifications from producers over REST and
delivers them to desktop clients over WebSocket: the backlog of unread
notifications on connect, then live ones. Read state is kept per user
and reaches every device of that user.
.
It stores notifications in SQLite or PostgreSQL, relays them between
the nodes of a cluster without a broker, and runs as a hardened
systemd service (not enabled by default).")
# Qt loads its SQL drivers as plugins, which dpkg-shlibdeps cannot see; the sysusers and
# tmpfiles tools create the herald user and /var/lib/herald in the postinst.
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS
  "libqt6sql6-sqlite, systemd | systemd-standalone-sysusers, systemd | systemd-standalone-tmpfiles")
set(CPACK_DEBIAN_SERVER_PACKAGE_RECOMMENDS libqt6sql6-psql)
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
  ${deb}/herald-syncd/postinst ${deb}/herald-syncd/prerm ${deb}/herald-syncd/postrm
  ${deb}/herald-syncd/conffiles)

set(CPACK_DEBIAN_CLIENT_PACKAGE_NAME herald)
set(CPACK_COMPONENT_CLIENT_DESCRIPTION "tray client for Herald notifications
herald sits in the system tray, shows the notifications of a
herald-syncd server as native desktop popups with actions to mark them
read or open their link, and keeps their read state in sync across all
devices of the user.
.
It lists notifications by application and channel with search, lets
each channel pop up, stay in the list or stay silent, and keeps its
token in the system keychain.")
# SVG icons are drawn by Qt's SVG plugins (libqt6svg6, found by shlibdeps through QtSvg).
set(CPACK_DEBIAN_CLIENT_PACKAGE_RECOMMENDS "qt6-wayland, qt6-translations-l10n")
set(CPACK_DEBIAN_CLIENT_PACKAGE_SUGGESTS "gnome-keyring | kwalletmanager")

include(CPack)
