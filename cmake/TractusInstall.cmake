# What `cmake --install` puts where: the FHS layout of the table's computer (docs/installing.md).
# The build tree keeps working without it: the executables find the stock profiles in the
# source tree there (profiles/library.hpp).
#
#   bin/tractus, bin/tractus-sim                the executables (the console page is inside)
#   share/tractus/profiles/*.json               the stock protocols
#   share/tractus/patients/*.json               the simulated patients as files, to copy and edit
#   share/man/man1/tractus.1.gz, tractus-sim.1.gz   from their --help (help2man)
#   share/doc/tractus/                          README and docs/
#   /etc/tractus/tractus.json                   the service's configuration (a conffile)
#   lib/systemd/system/tractus.service          the service (Type=notify, watchdog)
#   lib/systemd/system/tractus-kiosk.service    the optional kiosk (cage + chromium), not enabled
#   /etc/pam.d/tractus-kiosk                    its PAM session (a conffile)
#   share/doc/tractus/copyright, changelog.gz   Debian's machine-readable copyright, changelog
#   share/lintian/overrides/tractus             lintian's tags that rightly remain, each explained
# /var/lib/tractus (PINs, journals, calibration) is made by the package's postinst, not here.

install(TARGETS tractus tractus-sim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# As Debian builds its own packages' programs: linked with immediate binding (full RELRO:
# lintian's hardening-no-bindnow), and, when stripped (the package), without the compiler's
# .comment and .note sections (binary-has-unneeded-section), as dh_strip removes them.
foreach(program tractus tractus-sim)
  target_link_options(${program} PRIVATE LINKER:-z,now)
  install(CODE "
    if(CMAKE_INSTALL_DO_STRIP)
      execute_process(COMMAND \"${CMAKE_OBJCOPY}\" --remove-section=.comment --remove-section=.note
                              \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/${program}\"
                      COMMAND_ERROR_IS_FATAL ANY)
    endif()")
endforeach()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/profiles/library/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/tractus/profiles
        FILES_MATCHING PATTERN "*.json")
# The presets are compiled in (sim:heavy); these are their files, to start a patient file from.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/sim/patients/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/tractus/patients
        FILES_MATCHING PATTERN "*.json")
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/packaging/tractus.json
        DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/tractus)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/tractus.service
              ${PROJECT_SOURCE_DIR}/packaging/tractus-kiosk.service
        DESTINATION lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/tractus-kiosk.pam
        DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/pam.d RENAME tractus-kiosk)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/debian/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/packaging/lintian-overrides
        DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides RENAME tractus)

# The Debian changelog, compressed as policy 12.7 wants (gzip -9n: no name, no time stamp, so
# the same changelog always gives the same bytes). tractus is packaged by its own authors, a
# native package (version 0.1.0, no Debian revision), whose changelog is named changelog.gz.
# Its newest entry must be this version: a release without one stops the configuration.
set(changelog ${PROJECT_SOURCE_DIR}/packaging/debian/changelog)
file(STRINGS ${changelog} changelog_top LIMIT_COUNT 1)
if(NOT changelog_top MATCHES "^tractus \\(${PROJECT_VERSION}\\) ")
  message(FATAL_ERROR "packaging/debian/changelog: its newest entry is \"${changelog_top}\", "
                      "not version ${PROJECT_VERSION}: add an entry for this release")
endif()
execute_process(COMMAND gzip -9n -c ${changelog}
                OUTPUT_FILE ${CMAKE_CURRENT_BINARY_DIR}/changelog.gz
                COMMAND_ERROR_IS_FATAL ANY)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${changelog})
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/changelog.gz DESTINATION ${CMAKE_INSTALL_DOCDIR})

# Man pages written from each program's own --help and --version, so they never drift.
find_program(HELP2MAN help2man REQUIRED) # Debian's help2man, installed by scripts/setup.sh
set(man_pages)
foreach(program tractus tractus-sim)
  if(program STREQUAL "tractus")
    set(what "spinal-decompression traction table controller")
  else()
    set(what "the simulated traction table as a Modbus server")
  endif()
  set(page ${CMAKE_CURRENT_BINARY_DIR}/man/${program}.1)
  add_custom_command(OUTPUT ${page}.gz
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/man
    COMMAND ${HELP2MAN} --no-info --section 1 --name ${what} --output ${page}
            $<TARGET_FILE:${program}>
    COMMAND gzip -9nf ${page} # man pages ship compressed (Debian policy 12.1)
    DEPENDS ${program}
    COMMENT "Writing the man page of ${program}"
    VERBATIM)
  list(APPEND man_pages ${page}.gz)
endforeach()
add_custom_target(man_pages ALL DEPENDS ${man_pages})
install(FILES ${man_pages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
