# Debian's libsoci-dev ships the libraries and headers but neither a CMake package nor a
# pkg-config file; wrap the core and the two back ends the records store uses as SOCI::core,
# SOCI::sqlite3 and SOCI::postgresql. The back ends' own headers include <sqlite3.h> and
# <libpq-fe.h>, found through their pkg-config files (libsqlite3-dev, libpq-dev).
find_package(PkgConfig REQUIRED)
pkg_check_modules(PC_SOCI_SQLITE3 QUIET IMPORTED_TARGET sqlite3>=3.35)
pkg_check_modules(PC_SOCI_LIBPQ QUIET IMPORTED_TARGET libpq>=13)
find_path(SOCI_INCLUDE_DIR NAMES soci/soci.h)
find_library(SOCI_CORE_LIBRARY NAMES soci_core)
find_library(SOCI_SQLITE3_LIBRARY NAMES soci_sqlite3)
find_library(SOCI_POSTGRESQL_LIBRARY NAMES soci_postgresql)
if(SOCI_INCLUDE_DIR AND EXISTS "${SOCI_INCLUDE_DIR}/soci/version.h")
  file(STRINGS "${SOCI_INCLUDE_DIR}/soci/version.h" soci_version_line
       REGEX "^#define SOCI_VERSION [0-9]+")
  string(REGEX REPLACE "^#define SOCI_VERSION ([0-9]+).*" "\\1" soci_version_number
                       "${soci_version_line}")
  math(EXPR soci_major "${soci_version_number} / 100000")
  math(EXPR soci_minor "${soci_version_number} / 100 % 1000")
  math(EXPR soci_patch "${soci_version_number} % 100")
  set(SOCI_VERSION "${soci_major}.${soci_minor}.${soci_patch}")
endif()
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(SOCI
  REQUIRED_VARS SOCI_INCLUDE_DIR SOCI_CORE_LIBRARY SOCI_SQLITE3_LIBRARY SOCI_POSTGRESQL_LIBRARY
                PC_SOCI_SQLITE3_FOUND PC_SOCI_LIBPQ_FOUND
  VERSION_VAR SOCI_VERSION)
if(SOCI_FOUND AND NOT TARGET SOCI::core)
  add_library(SOCI::core UNKNOWN IMPORTED)
  set_target_properties(SOCI::core PROPERTIES IMPORTED_LOCATION "${SOCI_CORE_LIBRARY}"
                        INTERFACE_INCLUDE_DIRECTORIES "${SOCI_INCLUDE_DIR}")
  add_library(SOCI::sqlite3 UNKNOWN IMPORTED)
  set_target_properties(SOCI::sqlite3 PROPERTIES IMPORTED_LOCATION "${SOCI_SQLITE3_LIBRARY}"
                        INTERFACE_LINK_LIBRARIES "SOCI::core;PkgConfig::PC_SOCI_SQLITE3")
  add_library(SOCI::postgresql UNKNOWN IMPORTED)
  set_target_properties(SOCI::postgresql PROPERTIES
                        IMPORTED_LOCATION "${SOCI_POSTGRESQL_LIBRARY}"
                        INTERFACE_LINK_LIBRARIES "SOCI::core;PkgConfig::PC_SOCI_LIBPQ")
endif()
mark_as_advanced(SOCI_INCLUDE_DIR SOCI_CORE_LIBRARY SOCI_SQLITE3_LIBRARY SOCI_POSTGRESQL_LIBRARY)
