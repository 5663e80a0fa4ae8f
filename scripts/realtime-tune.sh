#!/bin/sh
# The table PC's one real-time setting outside tractus: the kernel's softirq threads
# (ksoftirqd/N) at SCHED_FIFO 50, below the loop (80) and above every ordinary process.
#
#   scripts/realtime-tune.sh            apply (idempotent); prints each thread's policy after
#   scripts/realtime-tune.sh --undo     back to the kernel's default (SCHED_OTHER)
#   scripts/realtime-tune.sh --status   print each thread's policy, change nothing
#
# Why (docs/performance.md, "Modbus TCP under load"): a Modbus reply reaches the loop through
# the kernel's network receive softirq. Once a CPU has more softirq work than it does inline,
# the kernel hands the rest to that CPU's ksoftirqd, an ordinary thread; beside a CPU-bound
# process (the console's browser) it then waits its turn, and so does the reply the loop is
# waiting for, however high the loop's own priority. Needs root (CAP_SYS_NICE). Not persistent:
# run it at every boot, before `tractus serve`.
set -eu

policy=fifo
case "${1:-}" in
"") ;;
--undo) policy=other ;;
--status) policy=status ;;
*) echo "realtime-tune: unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
esac
command -v chrt >/dev/null || { echo "realtime-tune: chrt missing (util-linux)" >&2; exit 2; }

found=0
for stat in /proc/[0-9]*/stat; do
  pid=${stat#/proc/}
  pid=${pid%/stat}
  name=$(cat "/proc/$pid/comm" 2>/dev/null) || continue
  case "$name" in
  ksoftirqd/*) ;;
  *) continue ;;
  esac
  found=$((found + 1))
  case "$policy" in
  fifo) chrt -f -p 50 "$pid" ;;
  other) chrt -o -p 0 "$pid" ;;
  esac
  echo "$name (pid $pid): $(chrt -p "$pid" | sed -n 's/.*scheduling policy: //p;s/.*scheduling priority: /priority /p' | paste -sd' ')"
done
[ "$found" -gt 0 ] || { echo "realtime-tune: no ksoftirqd threads found" >&2; exit 1; }
