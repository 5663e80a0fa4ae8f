#!/usr/bin/env bash
# The whole ctest suite of a built preset, as CI runs it: everything but the `integration` label
# first, one attempt each; then the `integration` tests, sessions against stand-ins for the
# table's devices (tractus-sim, socat, the pymodbus table), separate processes that a VM
# sometimes stops for 30-150 ms where hardware would not: a test that fails is run again, up to
# three attempts, each printed (README, "Building by hand"). Exit status 0 only if both passed.
#   scripts/ctest_suite.sh [PRESET] [ctest options, e.g. -V]
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
preset=${1:-dev}
shift $(($# > 0 ? 1 : 0))
status=0
ctest --preset "$preset" -LE integration "$@" || status=1
ctest --preset "$preset" -L integration --repeat until-pass:3 "$@" || status=1
exit $status
