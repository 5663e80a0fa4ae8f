#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite: a short run of every fuzz target, then ctest
# (unit, simulated sessions, command line, calibration, fault campaign, Modbus integration),
# then the Debian package built, installed, used and purged (tests/package/install_check.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/setup.sh
scripts/fuzz.sh "${TRACTUS_FUZZ_SECONDS:-10}" # a smoke run; `scripts/fuzz.sh 600` fuzzes
cmake --preset dev
cmake --build --preset dev -j "$(nproc)"
status=0
scripts/ctest_suite.sh dev || status=1
# The Debian package of this build, installed, used from PATH and purged (docs/installing.md).
deb=$(scripts/package.sh dev | tail -1)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo tests/package/install_check.sh "$deb" || status=1
exit $status
