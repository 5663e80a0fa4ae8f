#!/bin/sh
# A Modbus TCP session against tractus-sim with one CPU-bound process beside it, and cyclictest
# under the same load in the same run: the loop's worst lateness against the platform's
# (docs/performance.md, "Modbus TCP under load"; target: within 2x).
#
#   bench/modbus_under_load.sh [--bin DIR] [--profile ID|FILE] [--duration MIN] [--weight KG]
#                              [--no-load] [--sim-normal] [--runs N]
#
#   --bin DIR       where tractus and tractus-sim are (default build/release/apps, else build/dev/apps)
#   --profile       a stock protocol id (profiles/library) or a profile file (default lumbar-static)
#   --duration MIN  replaces the protocol's duration, in whole minutes (default: the protocol's own)
#   --weight KG     the patient's body mass (default 80)
#   --no-load       no busy loop (the quiet baseline)
#   --sim-normal    tractus-sim --normal-priority, as it ran by default before (the
#                   device then competes with the busy loop: what made the stalls, see docs)
#   --runs N        consecutive sessions, each with its own cyclictest (default 1)
#
# Needs root (or CAP_SYS_NICE + memlock) for SCHED_FIFO, and rt-tests (cyclictest; scripts/setup.sh).
# The busy loop is a shell `while :` pinned to CPU 0, started before and killed after each run.
# Exit status: 0 when every session completed (exit 0) and the loop stayed within 2x cyclictest.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
bin=""
profile=lumbar-static
duration=""
weight=80
load=1
sim_rt=""
runs=1
while [ $# -gt 0 ]; do
  case "$1" in
  --bin) bin=$2; shift 2 ;;
  --profile) profile=$2; shift 2 ;;
  --duration) duration=$2; shift 2 ;;
  --weight) weight=$2; shift 2 ;;
  --no-load) load=0; shift ;;
  --sim-normal) sim_rt=--normal-priority; shift ;;
  --runs) runs=$2; shift 2 ;;
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
cleanup() {
  for p in $cyc $sim $busy; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

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
  "$bin/tractus-sim" --listen 127.0.0.1:0 --port-file "$work/run$run/port" $sim_rt \
    >"$work/run$run/sim.log" 2>&1 &
  sim=$!
  i=0
  while [ ! -s "$work/run$run/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  port=$(cat "$work/run$run/port")
  cyclictest -m -p 80 -i 1000 -q -D "$cyc_seconds" >"$work/run$run/cyclictest.txt" 2>&1 &
  cyc=$!
  set +e
  "$bin/tractus" run --profile "$work/profile.json" --weight "${weight}kg" \
    --table "modbus-tcp://127.0.0.1:$port" --journal "$work/run$run" >"$work/run$run/run.log" 2>&1
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
loop_ms = summary.get("worst_lateness_ms", float("nan"))
print(f"{'one busy loop' if load else 'no load'}: tractus run exit {code}, "
      f"outcome {summary.get('outcome')} {summary.get('code', '')}")
print(f"  loop: worst lateness {loop_ms} ms, overruns {summary.get('overruns')}, "
      f"failed readings {summary.get('failed_readings')}")
for name, p in summary.get("loop_phases", {}).items():
    print(f"    {name:15} p99 {p['p99_ms']:>8} ms  p99.9 {p['p99.9_ms']:>8} ms  max {p['max_ms']:>8} ms")
print(f"  cyclictest -m -p 80 -i 1000: worst {cyc_ms:.3f} ms")
ratio = loop_ms / cyc_ms if cyc_ms == cyc_ms and cyc_ms > 0 else float("inf")
ok = code == 0 and ratio <= 2.0
print(f"  loop / cyclictest = {ratio:.2f} (target <= 2): {'ok' if ok else 'NOT MET'}")
sys.exit(0 if ok else 1)
EOF
  run=$((run + 1))
done
echo "journals and logs: $work"
trap - EXIT
cleanup
exit $status
