#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite: a short run of every fuzz target, then ctest
# (unit, simulated sessions, command line, calibration, fault campaign, Modbus integration).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/setup.sh
scripts/fuzz.sh "${TRACTUS_FUZZ_SECONDS:-10}" # a smoke run; `scripts/fuzz.sh 600` fuzzes
cmake --preset dev
cmake --build --preset dev -j "$(nproc)"
scripts/ctest_suite.sh dev
