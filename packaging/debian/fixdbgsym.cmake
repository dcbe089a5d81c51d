# SPDX-License-Identifier: Apache-2.0
# CPACK_POST_BUILD_SCRIPTS of cmake/Packaging.cmake. CPack 3.25 writes the md5sums of its
# -dbgsym packages with the absolute staging path and gives them no copyright (lintian errors:
# md5sums-lists-nonexistent-file, no-copyright-file). Each is rebuilt here the way dh_strip makes
# them: md5sums relative to the root, and /usr/share/doc/<package>-dbgsym a symlink to the main
# package's documentation, which it may name because it depends on that exact version.
find_program(DPKG_DEB dpkg-deb REQUIRED)
foreach(ddeb IN LISTS CPACK_PACKAGE_FILES)
  if(NOT ddeb MATCHES "-dbgsym_.*\\.ddeb$")
    continue()
  endif()
  set(root ${ddeb}.tree)
  file(REMOVE_RECURSE ${root})
  execute_process(COMMAND ${DPKG_DEB} --raw-extract ${ddeb} ${root} COMMAND_ERROR_IS_FATAL ANY)
  execute_process(COMMAND ${DPKG_DEB} --field ${ddeb} Package
    OUTPUT_VARIABLE package OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
  string(REGEX REPLACE "-dbgsym$" "" main ${package})

  file(MAKE_DIRECTORY ${root}/usr/share/doc)
  file(CREATE_LINK ${main} ${root}/usr/share/doc/${package} SYMBOLIC)
  file(GLOB_RECURSE files LIST_DIRECTORIES false RELATIVE ${root} ${root}/usr/*)
  list(SORT files)
  set(md5sums "")
  foreach(file IN LISTS files)
    if(NOT IS_SYMLINK ${root}/${file})
      file(MD5 ${root}/${file} sum)
      string(APPEND md5sums "${sum}  ${file}\n")
    endif()
  endforeach()
  file(WRITE ${root}/DEBIAN/md5sums "${md5sums}")

  file(REMOVE ${ddeb})
  # gzip, as CPack compresses them: xz takes three times as long on the debug information.
  execute_process(COMMAND ${DPKG_DEB} --root-owner-group -Zgzip --build ${root} ${ddeb}
    OUTPUT_QUIET COMMAND_ERROR_IS_FATAL ANY)
  file(REMOVE_RECURSE ${root})
endforeach()
