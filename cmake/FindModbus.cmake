# libmodbus ships a pkg-config file but no CMake package; wrap it as Modbus::modbus.
find_package(PkgConfig REQUIRED)
pkg_check_modules(PC_MODBUS QUIET IMPORTED_TARGET libmodbus>=3.1)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Modbus REQUIRED_VARS PC_MODBUS_FOUND VERSION_VAR PC_MODBUS_VERSION)
if(Modbus_FOUND AND NOT TARGET Modbus::modbus)
  add_library(Modbus::modbus ALIAS PkgConfig::PC_MODBUS)
endif()
