#!/bin/sh
# Manual check (needs root and permission to mount, which CI containers may not grant): a session
# journal on a real tmpfs that fills mid-pull. `tractus run` on the simulator (virtual clock: the
# 15 min protocol takes about a second) writes its journal to a 5 MB tmpfs (room for the
# session's estimate, so the start is allowed); once the journal exists, a filler takes every
# byte left, the journal's reserve included. Expected: tractus lives on, the session ends with fault 204
# (exit 3) after a controlled release, and the journal holds only whole lines, the fault among
# them. Then an already full tmpfs: the start is refused with 118 (exit 2), no file is left.
#
#   sudo tests/manual/journal_tmpfs_check.sh build/dev/apps/tractus
set -u
tractus=$(realpath "${1:-build/dev/apps/tractus}")
mnt=$(mktemp -d /tmp/tractus-tmpfs.XXXXXX)
mount -t tmpfs -o size=5m tractus-journal "$mnt" || { echo "cannot mount a tmpfs here"; exit 1; }
trap 'umount "$mnt"; rmdir "$mnt"' EXIT
mkdir "$mnt/sessions"

"$tractus" run --profile lumbar-static --weight 80kg --journal "$mnt/sessions" \
  >"$mnt/../tractus-tmpfs-run.out" 2>&1 &
pid=$!
for _ in $(seq 1 500); do ls "$mnt"/sessions/*.jsonl >/dev/null 2>&1 && break; sleep 0.01; done
sleep 0.05
dd if=/dev/zero of="$mnt/filler" bs=64k 2>/dev/null
wait $pid
echo "tractus run exit code: $? (expected 3)"
cat "$mnt/../tractus-tmpfs-run.out" | tail -n 12
journal=$(ls "$mnt"/sessions/*.jsonl)
echo "journal: $(wc -c <"$journal") bytes, $(wc -l <"$journal") lines; last byte: $(tail -c 1 "$journal" | od -An -c)"
grep -c '"code":204' "$journal" | sed 's/^/lines with code 204: /'
python3 - "$journal" <<'PY'
import sys, json, zlib
bad = 0
for n, line in enumerate(open(sys.argv[1], 'rb'), 1):
    text = line.rstrip(b'\n')
    body, _, crc = text.rpartition(b',"crc32":"')
    if not line.endswith(b'\n') or '%08x' % zlib.crc32(body) != crc[:8].decode():
        bad += 1
        print('damaged line', n)
print('damaged or partial lines:', bad)
PY

rm -f "$mnt"/sessions/*.jsonl
"$tractus" run --profile lumbar-static --weight 80kg --journal "$mnt/sessions" >/dev/null 2>"$mnt/../tractus-tmpfs-refused.err"
echo "start on the full tmpfs: exit code $? (expected 2): $(cat "$mnt/../tractus-tmpfs-refused.err")"
echo "files left in the journal folder: $(ls "$mnt/sessions" | wc -l) (expected 0)"
