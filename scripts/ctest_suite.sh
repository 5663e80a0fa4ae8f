#!/usr/bin/env bash
# The whole ctest suite of a built preset, as CI runs it. First everything but the tests paced
# by the wall clock, one attempt each. Then those: the `integration` tests (sessions against
# stand-ins for the table's devices: tractus-sim, socat, the pymodbus table; two at a time) and
# the ones labelled `*wallclock` (a session of the console's service at the simulator's real
# pace, the STOP flood, the page in chromium; each alone, RUN_SERIAL). A VM sometimes stops one of their processes, or the loop,
# for 30-150 ms where hardware would not, and the loop rightly faults: a test that fails is run
# again, up to three attempts, each printed (README, "Building by hand"). Exit status 0 only if
# both passes passed.
#   scripts/ctest_suite.sh [PRESET] [ctest options, e.g. -V]
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
preset=${1:-dev}
shift $(($# > 0 ? 1 : 0))
status=0
ctest --preset "$preset" -LE 'integration|wallclock' "$@" || status=1
ctest --preset "$preset" -L 'integration|wallclock' --repeat until-pass:3 "$@" || status=1
exit $status
