#!/usr/bin/env bash
# The whole test suite, N times in a row, with a second `ctest -L campaign` running beside it
# the whole time (CPU-bound simulated sessions on both cores): the suite must not depend on a
# quiet machine. Prints each run's result and time, and how many campaign runs went beside.
# Exit status 0 only if every run of the suite passed.
#   bench/ctest_under_campaign.sh [--runs N] [--preset dev]
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs=3
preset=dev
while [ $# -gt 0 ]; do
  case $1 in
  --runs) runs=$2; shift 2 ;;
  --preset) preset=$2; shift 2 ;;
  *) echo "usage: $0 [--runs N] [--preset dev]" >&2; exit 2 ;;
  esac
done
build="build/$preset"
[ -d "$build" ] || { echo "$0: $build is not built (cmake --preset $preset, then build)" >&2; exit 2; }
logs=$(mktemp -d)
stop="$logs/stop"

# The load: ctest -L campaign over and over, until the suite's runs are done.
(
  n=0
  while [ ! -e "$stop" ]; do
    n=$((n + 1))
    ctest --test-dir "$build" -L campaign >"$logs/campaign-$n.log" 2>&1 || echo "campaign run $n failed" >>"$logs/campaign-failures"
    echo "$n" >"$logs/campaign-count"
  done
) &
load=$!
trap 'touch "$stop"; wait $load 2>/dev/null' EXIT

status=0
for i in $(seq 1 "$runs"); do
  start=$(date +%s)
  # As CI runs it (scripts/ctest_suite.sh), with -V: every test's output, so a session run again
  # after a whole-machine pause, or a test given another attempt, shows here.
  if scripts/ctest_suite.sh "$preset" -V >"$logs/suite-$i.log" 2>&1; then result=passed; else result=FAILED; status=1; fi
  summary=$(grep -E "tests passed|tests failed" "$logs/suite-$i.log" | paste -sd ';' -)
  echo "suite run $i: $result in $(($(date +%s) - start)) s ($summary)"
  grep -E "^\s+[0-9]+ - .*\((Failed|Timeout|Not Run)" "$logs/suite-$i.log" || true
  grep -h "running it again\|judged as it is" "$logs/suite-$i.log" || true
done
touch "$stop"
wait $load
echo "beside them: $(cat "$logs/campaign-count" 2>/dev/null || echo 0) runs of ctest -L campaign," \
  "$(cat "$logs/campaign-failures" 2>/dev/null | wc -l) failed"
echo "logs: $logs"
exit $status
