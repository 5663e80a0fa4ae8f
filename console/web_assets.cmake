# The console page, embedded in the binary at build time so the table works with no internet
# and no files to install beside the executable (docs/console.md).
#
# Embedded: every file under console/web except node_modules/, tests/, package.json,
# package-lock.json and hidden files, served at its path (console/web/index.html → /index.html),
# plus the charting library pinned by console/web/package-lock.json, served as
# /vendor/uplot.js and /vendor/uplot.css. Adding a file re-runs CMake (CONFIGURE_DEPENDS);
# changing one regenerates the source.
set(web_dir ${CMAKE_CURRENT_SOURCE_DIR}/web)
set(web_manifest "")
set(web_inputs "")

if(EXISTS ${web_dir})
  # Top level first, so node_modules (possibly thousands of files) is never walked.
  file(GLOB web_top CONFIGURE_DEPENDS RELATIVE ${web_dir} ${web_dir}/*)
  set(web_relative "")
  foreach(entry IN LISTS web_top)
    if(entry STREQUAL "node_modules" OR entry STREQUAL "tests")
      continue()
    elseif(IS_DIRECTORY ${web_dir}/${entry})
      file(GLOB_RECURSE below CONFIGURE_DEPENDS RELATIVE ${web_dir} ${web_dir}/${entry}/*)
      list(APPEND web_relative ${below})
    else()
      list(APPEND web_relative ${entry})
    endif()
  endforeach()
  foreach(rel IN LISTS web_relative)
    if(rel MATCHES "(^|/)\\." OR rel MATCHES "^package(-lock)?\\.json$")
      continue()
    endif()
    string(APPEND web_manifest "/${rel}=${web_dir}/${rel}\n")
    list(APPEND web_inputs ${web_dir}/${rel})
  endforeach()
endif()

if(EXISTS ${web_dir}/package.json)
  set(uplot_dist ${web_dir}/node_modules/uplot/dist)
  if(NOT EXISTS ${uplot_dist}/uPlot.iife.min.js OR NOT EXISTS ${uplot_dist}/uPlot.min.css)
    message(FATAL_ERROR
      "console/web/node_modules/uplot is missing: the console page needs its charting library. "
      "Run scripts/setup.sh (it installs the version pinned by console/web/package-lock.json "
      "with `npm ci`), then configure again.")
  endif()
  string(APPEND web_manifest "/vendor/uplot.js=${uplot_dist}/uPlot.iife.min.js\n")
  string(APPEND web_manifest "/vendor/uplot.css=${uplot_dist}/uPlot.min.css\n")
  list(APPEND web_inputs ${uplot_dist}/uPlot.iife.min.js ${uplot_dist}/uPlot.min.css)
else()
  message(STATUS "console/web has no package.json yet: the console serves no page")
endif()

set(web_manifest_file ${CMAKE_CURRENT_BINARY_DIR}/web_assets.manifest)
file(CONFIGURE OUTPUT ${web_manifest_file} CONTENT "${web_manifest}" @ONLY)
set(web_assets_cpp ${CMAKE_CURRENT_BINARY_DIR}/web_assets.cpp)
add_custom_command(
  OUTPUT ${web_assets_cpp}
  COMMAND ${CMAKE_COMMAND} -DMANIFEST=${web_manifest_file} -DOUTPUT=${web_assets_cpp}
          -P ${CMAKE_CURRENT_SOURCE_DIR}/embed_files.cmake
  DEPENDS ${web_manifest_file} ${web_inputs} ${CMAKE_CURRENT_SOURCE_DIR}/embed_files.cmake
  COMMENT "Embedding the console page (console/web)"
  VERBATIM)
