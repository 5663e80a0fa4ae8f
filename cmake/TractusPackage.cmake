# The Debian package of the table's computer, by CPack (scripts/package.sh; docs/installing.md).
# CPack over debian/ + dpkg-buildpackage: the install rules are already CMake's
# (cmake/TractusInstall.cmake), and the package needs nothing debhelper would add but the
# maintainer scripts below.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME tractus)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "tractus maintainers <tractus@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "spinal-decompression traction table controller")
# The extended description: lines under 80 characters (lintian), as dpkg shows them.
set(CPACK_PACKAGE_DESCRIPTION
    "Controls a spinal-decompression traction table over Modbus: force-controlled\n\
pull and relax profiles, emergency-stop interlocks, load-cell calibration and\n\
the table's web console. Includes tractus-sim, a simulated table for training\n\
and tests. An optional kiosk unit shows the console on the table's screen.")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_STRIP_FILES TRUE) # the dev build's line tables stay in the build tree
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # tractus_VERSION_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The shared libraries' packages, as dpkg-shlibdeps reads them off the executables; adduser
# for the system user the postinst makes.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
# The optional kiosk (tractus-kiosk.service): a compositor, a browser, and the PAM module that
# gives its session the seat. A table whose screen is elsewhere needs none of them.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "cage, chromium, libpam-systemd")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/debian/conffiles
    ${PROJECT_SOURCE_DIR}/packaging/debian/postinst
    ${PROJECT_SOURCE_DIR}/packaging/debian/prerm
    ${PROJECT_SOURCE_DIR}/packaging/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
