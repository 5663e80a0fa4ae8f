#!/bin/sh
# A Modbus TCP session against tractus-sim with one CPU-bound process beside it, and cyclictest
# (a thread on each CPU) under the same load in the same run: the loop's worst lateness against the platform's
# (docs/performance.md, "Modbus TCP under load"; target: within 2x). The loop's figure that
# compares with cyclictest's is its wake-up latency: how late its absolute-deadline sleep returned,
# on the cycles that slept. A cycle that starts late because the one before overran (a device's
# late reply) is reported beside it, as the start lateness and the overruns, with each phase.
#
#   bench/modbus_under_load.sh [--bin DIR] [--profile ID|FILE] [--duration MIN] [--weight KG]
#                              [--no-load] [--sim-normal] [--runs N] [--vendor] [--no-tune]
#
#   --bin DIR       where tractus and tractus-sim are (default build/release/apps, else build/dev/apps)
#   --profile       a stock protocol id (profiles/library) or a profile file (default lumbar-static)
#   --duration MIN  replaces the protocol's duration, in whole minutes (default: the protocol's own)
#   --weight KG     the patient's body mass (default 80)
#   --no-load       no busy loop (the quiet baseline)
#   --sim-normal    tractus-sim --normal-priority, as it ran by default before (the
#                   device then competes with the busy loop: what made the stalls, see docs)
#   --runs N        consecutive sessions, each with its own cyclictest (default 1)
#   --vendor        the vendor table (tests/integration/pymodbus_table.py, another Modbus
#                   library) instead of tractus-sim: calibrated and verified by the technician's
#                   hands (technician.py), then `tractus run … --screening`, timeout 50 ms
#   --no-tune       leave ksoftirqd as it is (scripts/realtime-tune.sh is applied by default for
#                   the bench's duration, as on the table's PC, and undone after)
#   (--vendor ignores --sim-normal; both tables need tractus and tractus-sim built)
#
# Needs root (or CAP_SYS_NICE + memlock) for SCHED_FIFO, and rt-tests (cyclictest; scripts/setup.sh).
# One busy loop is the load issue 10 names: each run prints the load average it started at, as
# other work on the machine would make the figures describe that work instead.
# The busy loop is a shell `while :` pinned to CPU 0, started before and killed after each run.
# Exit status: 0 when every session completed (exit 0), the loop's wake-ups stayed within 2x
# cyclictest's, and at least 99 % of its cycles slept (did not start late after an overrun).
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
bin=""
profile=lumbar-static
duration=""
weight=80
load=1
sim_rt=""
runs=1
vendor=0
tune=1
while [ $# -gt 0 ]; do
  case "$1" in
  --bin) bin=$2; shift 2 ;;
  --profile) profile=$2; shift 2 ;;
  --duration) duration=$2; shift 2 ;;
  --weight) weight=$2; shift 2 ;;
  --no-load) load=0; shift ;;
  --sim-normal) sim_rt=--normal-priority; shift ;;
  --runs) runs=$2; shift 2 ;;
  --vendor) vendor=1; shift ;;
  --no-tune) tune=0; shift ;;
  *) echo "modbus_under_load: unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
if [ -z "$bin" ]; then
  bin=$here/build/release/apps
  [ -x "$bin/tractus" ] || bin=$here/build/dev/apps
fi
for tool in "$bin/tractus" "$bin/tractus-sim"; do
  [ -x "$tool" ] || { echo "modbus_under_load: $tool not built" >&2; exit 2; }
done
command -v cyclictest >/dev/null || { echo "modbus_under_load: cyclictest missing (apt-get install rt-tests)" >&2; exit 2; }

work=$(mktemp -d /tmp/tractus-load.XXXXXX)
busy=""
sim=""
cyc=""
tuned=""
cleanup() {
  for p in $cyc $sim $busy; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "$tuned" ]; then "$here/scripts/realtime-tune.sh" --undo >/dev/null || true; fi
  tuned=""
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# ksoftirqd at FIFO 50 for the bench's duration (scripts/realtime-tune.sh), undone after. Only
# from the kernel's default (all SCHED_OTHER), so that undoing it restores what was there.
state=$("$here/scripts/realtime-tune.sh" --status)
if [ "$tune" = 0 ]; then
  softirq="ksoftirqd as found (--no-tune)"
elif ! echo "$state" | grep -q SCHED_OTHER; then
  softirq="ksoftirqd already real-time, left as found"
elif echo "$state" | grep -vq SCHED_OTHER; then
  echo "modbus_under_load: ksoftirqd threads at mixed policies; set them alike first:" >&2
  echo "$state" >&2
  exit 2
else
  "$here/scripts/realtime-tune.sh" >/dev/null
  tuned=1
  softirq="ksoftirqd at SCHED_FIFO 50 for the bench (scripts/realtime-tune.sh), undone after"
fi
echo "$softirq"
[ "$vendor" = 0 ] || [ -x /usr/bin/python3 ] || { echo "modbus_under_load: /usr/bin/python3 missing" >&2; exit 2; }
py_dir=$here/tests/integration

# The protocol, with its duration replaced when asked.
src=$profile
[ -f "$src" ] || src=$here/profiles/library/$profile.json
[ -f "$src" ] || { echo "modbus_under_load: no profile $profile" >&2; exit 2; }
python3 - "$src" "$work/profile.json" "$duration" <<'EOF'
import json, sys
p = json.load(open(sys.argv[1]))
if sys.argv[3]:
    p["duration"] = f"{int(sys.argv[3])} min"
    p["id"] = p["id"] + "-" + sys.argv[3] + "min"
json.dump(p, open(sys.argv[2], "w"), indent=2)
print(f"protocol {p['id']}: {p['duration']}")
EOF
minutes=$(python3 -c "import json,re,sys; d=json.load(open('$work/profile.json'))['duration']; \
n=float(re.match(r'[0-9.]+',d).group()); print(int(n*(60 if 'min' in d else 1)))")
cyc_seconds=$((minutes + 30)) # the session's pretension and release too; stopped at the end

status=0
run=1
while [ "$run" -le "$runs" ]; do
  mkdir -p "$work/run$run"
  if [ "$load" = 1 ]; then
    taskset -c 0 sh -c 'while :; do :; done' &
    busy=$!
  fi
  echo "run $run: load average $(cut -d' ' -f1-3 /proc/loadavg) before the busy loop's own"
  extra=""
  if [ "$vendor" = 1 ]; then
    # The vendor table at SCHED_FIFO 70, below the loop: its Python interpreter's work would run
    # on the device's own processor on a table, not on the controller's CPUs. Calibrated and
    # verified through the technician's side channel, as in tests/integration/startup_test.cpp.
    /usr/bin/python3 "$py_dir/pymodbus_table.py" --port-file "$work/run$run/port" --priority 70 \
      --hanger-file "$work/run$run/hanger" >"$work/run$run/sim.log" 2>&1 &
  else
    "$bin/tractus-sim" --listen 127.0.0.1:0 --port-file "$work/run$run/port" $sim_rt \
      >"$work/run$run/sim.log" 2>&1 &
  fi
  sim=$!
  i=0
  while [ ! -s "$work/run$run/port" ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
  [ -s "$work/run$run/port" ] || { echo "modbus_under_load: the table did not start:" >&2; cat "$work/run$run/sim.log" >&2; exit 1; }
  port=$(head -n1 "$work/run$run/port")
  address="modbus-tcp://127.0.0.1:$port"
  if [ "$vendor" = 1 ]; then
    store=$work/run$run/cal
    hands="/usr/bin/python3 $py_dir/technician.py --hanger-file $work/run$run/hanger --"
    $hands "$bin/tractus" calibrate run --interactive --table "$address" --serial LC-200001 \
      --technician bench --store "$store" >"$work/run$run/calibrate.log" 2>&1 ||
      { echo "modbus_under_load: calibration failed:" >&2; cat "$work/run$run/calibrate.log" >&2; exit 1; }
    $hands "$bin/tractus" calibrate verify --interactive --load 500N --technician bench \
      --table "$address" --store "$store" >>"$work/run$run/calibrate.log" 2>&1 ||
      { echo "modbus_under_load: verification failed:" >&2; cat "$work/run$run/calibrate.log" >&2; exit 1; }
    address="$address?timeout=50ms"
    extra="--screening $here/docs/examples/screening.json --store $store"
  fi
  # -S: one measuring thread pinned to each CPU, as the loop may run on either; a stall of one
  # CPU alone is then seen too (a single thread saw only the CPU it happened to be on).
  cyclictest -S -m -p 80 -i 1000 -q -D "$cyc_seconds" >"$work/run$run/cyclictest.txt" 2>&1 &
  cyc=$!
  set +e
  "$bin/tractus" run --profile "$work/profile.json" --weight "${weight}kg" \
    --table "$address" --journal "$work/run$run" $extra >"$work/run$run/run.log" 2>&1
  code=$?
  set -e
  kill -INT "$cyc" 2>/dev/null || true
  wait "$cyc" 2>/dev/null || true
  cyc=""
  kill "$sim" 2>/dev/null || true
  wait "$sim" 2>/dev/null || true
  sim=""
  if [ -n "$busy" ]; then kill "$busy"; wait "$busy" 2>/dev/null || true; busy=""; fi

  python3 - "$work/run$run" "$code" "$load" <<'EOF' || status=1
import glob, json, re, sys
d, code, load = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
summary = {}
for path in glob.glob(d + "/*.jsonl"):
    for line in open(path):
        try:
            j = json.loads(line)
        except ValueError:
            continue
        if j.get("type") == "summary":
            summary = j
text = open(d + "/cyclictest.txt").read()
cmax = [int(m) for m in re.findall(r"Max:\s*(\d+)", text)]
cyc_ms = max(cmax) / 1000 if cmax else float("nan")
phases = summary.get("loop_phases", {})
wake = phases.get("wake", {})
wake_ms = wake.get("max_ms", float("nan"))
slept = wake.get("cycles", 0)
cycles = summary.get("cycles") or 0
print(f"{'one busy loop' if load else 'no load'}: tractus run exit {code}, "
      f"outcome {summary.get('outcome')} {summary.get('code', '')}, cycles {summary.get('cycles')}")
if code != 0:
    print("  " + "\n  ".join(open(d + "/run.log").read().splitlines()[-4:]))
print(f"  loop: worst wake-up latency {wake_ms} ms over the "
      f"{slept} of {cycles} cycles that slept "
      f"(the scheduler's part)")
print(f"        worst start lateness {summary.get('worst_lateness_ms')} ms, overruns "
      f"{summary.get('overruns')} (cycles that started more than a period late)")
print(f"        failed readings {summary.get('failed_readings')}")
for name, p in phases.items():
    print(f"    {name:15} p99 {p['p99_ms']:>8} ms  p99.9 {p['p99.9_ms']:>8} ms  max {p['max_ms']:>8} ms")
print(f"  cyclictest -S -m -p 80 -i 1000 (each CPU): worst {cyc_ms:.3f} ms "
      f"(per CPU: {', '.join(f'{m / 1000:.3f}' for m in cmax)} ms)")
ratio = wake_ms / cyc_ms if cyc_ms == cyc_ms and cyc_ms > 0 else float("inf")
# A loop whose cycles mostly start late, after overruns, has few wake-ups left to judge by:
# at least 99 % of its cycles must have slept.
slept_enough = cycles > 0 and slept >= 0.99 * cycles
ok = code == 0 and ratio <= 2.0 and slept_enough
share = f"{100 * slept / cycles if cycles else 0:.2f} % (target >= 99 %)"
print(f"  loop wake-up / cyclictest = {ratio:.2f} (target <= 2), cycles that slept {share}: "
      f"{'ok' if ok else 'NOT MET'}")
sys.exit(0 if ok else 1)
EOF
  run=$((run + 1))
done
echo "journals and logs: $work"
trap - EXIT
cleanup
exit $status
