# What `cmake --install` puts where: the FHS layout of the table's computer (docs/installing.md).
# The build tree keeps working without it: the executables find the stock profiles in the
# source tree there (profiles/library.hpp).
#
#   bin/tractus, bin/tractus-sim                the executables (the console page is inside)
#   share/tractus/profiles/*.json               the stock protocols
#   share/man/man1/tractus.1.gz, tractus-sim.1.gz   from their --help (help2man)
#   share/doc/tractus/                          README and docs/
#   /etc/tractus/tractus.json                   the service's configuration (a conffile)
#   lib/systemd/system/tractus.service          the service (Type=notify, watchdog)
# /var/lib/tractus (PINs, journals, calibration) is made by the package's postinst, not here.

install(TARGETS tractus tractus-sim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/profiles/library/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/tractus/profiles
        FILES_MATCHING PATTERN "*.json")
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/packaging/tractus.json
        DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/tractus)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/tractus.service DESTINATION lib/systemd/system)

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
