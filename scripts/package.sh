#!/usr/bin/env bash
# Builds the Debian package of the table's computer (docs/installing.md): sets up, builds the
# preset's executables and man pages, and has CPack write build/PRESET/tractus_VERSION_ARCH.deb
# (cmake/TractusPackage.cmake), whose path it prints last. `--lintian` then checks it with
# lintian (installed here if missing); the tags it still reports are explained in
# docs/installing.md.
#   scripts/package.sh [PRESET, default release] [--lintian]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
preset=release
lintian=0
for arg in "$@"; do
  case "$arg" in
  --lintian) lintian=1 ;;
  -*) echo "usage: scripts/package.sh [PRESET] [--lintian]" >&2 && exit 2 ;;
  *) preset="$arg" ;;
  esac
done
scripts/setup.sh
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)" --target tractus tractus-sim man_pages >/dev/null
rm -f build/"$preset"/tractus_*.deb
(cd build/"$preset" && cpack -G DEB >/dev/null)
deb=$(ls build/"$preset"/tractus_*.deb)
if [ "$lintian" = 1 ]; then
  command -v lintian >/dev/null || apt-get install -y -q lintian >/dev/null
  lintian --info "$deb" || true # its tags are read and answered in docs/installing.md
fi
echo "$deb"
