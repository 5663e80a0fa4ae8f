#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for SECONDS (default 20)
# from the seed corpus in tests/fuzz/corpus. New inputs go to a scratch copy, never the repo.
# Runs as many targets at once as there are cores (nproc). Exit status is non-zero if any
# target crashed, hung or tripped a sanitizer.
#   scripts/fuzz.sh [SECONDS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
seconds=${1:-20}
cmake --preset fuzz >/dev/null
targets=(profile_parser modbus_decode register_map api_router patient_file)
# Quiet when it builds; the whole failure shown when it does not (ninja prints a compiler's or
# linker's errors on standard output).
if ! build_log=$(cmake --build --preset fuzz -j "$(nproc)" --target "${targets[@]/%/_fuzz}" 2>&1); then
  echo "fuzz: the fuzz targets did not build:"
  echo "$build_log" | tail -80
  exit 1
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# One target per core at a time: each is a single libFuzzer process, so on CI's 2 cores the 5
# targets take 3 × SECONDS instead of 5 × SECONDS, each still fuzzed for the whole SECONDS.
run_target() {
  local t=$1 code=0
  build/fuzz/tests/fuzz/"${t}_fuzz" "$scratch/$t" -max_total_time="$seconds" -timeout=5 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$scratch/$t-" \
    >"$scratch/$t.log" 2>&1 || code=$?
  echo "$code" >"$scratch/$t.status"
}
slots=$(nproc)
for t in "${targets[@]}"; do
  mkdir -p "$scratch/$t"
  cp tests/fuzz/corpus/"$t"/* "$scratch/$t"/
  while [ "$(jobs -rp | wc -l)" -ge "$slots" ]; do wait -n || true; done
  run_target "$t" &
done
wait
# Reported in the targets' order, whichever finished first.
status=0
for t in "${targets[@]}"; do
  if [ "$(cat "$scratch/$t.status" 2>/dev/null)" = 0 ]; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$scratch/$t.log" | grep -o '[0-9]*$')
    echo "fuzz $t: ${runs:-?} inputs in ${seconds}s, no crash, hang or sanitizer report"
  else
    echo "fuzz $t: FAILED"
    tail -40 "$scratch/$t.log"
    status=1
  fi
done
exit $status
