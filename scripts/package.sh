#!/usr/bin/env bash
# Builds the Debian package of the table's computer (docs/installing.md): sets up, builds the
# preset's executables and man pages, and has CPack write build/PRESET/tractus_VERSION_ARCH.deb
# (cmake/TractusPackage.cmake), whose path it prints last.
#   scripts/package.sh [PRESET, default release]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
preset=release
for arg in "$@"; do
  case "$arg" in
  -*) echo "usage: scripts/package.sh [PRESET]" >&2 && exit 2 ;;
  *) preset="$arg" ;;
  esac
done
scripts/setup.sh
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)" --target tractus tractus-sim man_pages >&2
rm -f build/"$preset"/tractus_*.deb
(cd build/"$preset" && cpack -G DEB >&2)
deb=$(ls build/"$preset"/tractus_*.deb)
echo "$deb"
