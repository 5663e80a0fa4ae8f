#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite: ctest (unit, simulated sessions, command line,
# calibration, fault campaign, Modbus integration) with a short run of every fuzz target beside
# it, then the Debian package built, installed, used and purged (tests/package/install_check.sh).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/setup.sh
cmake --preset dev
cmake --build --preset dev -j "$(nproc)"
status=0
# The fuzz smoke (`scripts/fuzz.sh 600` fuzzes) builds and runs at the lowest priority while
# ctest runs: the wall-clock pass mostly waits on real time, and its loops must hold with a
# CPU-bound process beside them anyway (docs/performance.md, "Build and test time").
fuzz_log=$(mktemp)
nice -n 19 scripts/fuzz.sh "${TRACTUS_FUZZ_SECONDS:-10}" >"$fuzz_log" 2>&1 &
fuzz_pid=$!
scripts/ctest_suite.sh dev || status=1
wait "$fuzz_pid" || status=1
cat "$fuzz_log"
rm -f "$fuzz_log"
# The Debian package of this build, installed, used from PATH and purged (docs/installing.md).
deb=$(scripts/package.sh dev | tail -1)
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo tests/package/install_check.sh "$deb" || status=1
exit $status
