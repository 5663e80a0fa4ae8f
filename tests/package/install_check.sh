#!/usr/bin/env bash
# The Debian package on this machine, judged from outside (docs/installing.md):
#   0. lintian: any tag at error, warning or info level that the package does not override
#      (packaging/lintian-overrides, each with its reason) fails the check;
#   1. installs it with dpkg -i (apt resolving its Depends when dpkg cannot);
#   2. checks what the package made: the system users, /var/lib/tractus owned by tractus
#      (0750), the configuration and the kiosk's PAM file registered as conffiles, the man
#      pages, and both units through systemd-analyze verify;
#   3. runs the installed programs from PATH as that user, with the source tree hidden under an
#      empty tmpfs in a private mount namespace, so only installed files can serve: the stock
#      profiles, a simulated session to its end, `tractus config show` on the installed
#      configuration, `tractus doctor --table sim` with no FAIL, and `tractus serve` answering
#      with its page on loopback;
#   4. purges it and checks that nothing of it is left outside /var/lib/tractus, which a purge
#      keeps: it holds the clinic's journals and calibration records; the users are gone.
# Needs root, like scripts/setup.sh. Exits non-zero at the first thing not as it should be,
# saying what. It refuses a machine where tractus is installed or /var/lib/tractus exists: a
# purge would take that installation's configuration, and the check's PINs its own.
#   tests/package/install_check.sh build/dev/tractus_VERSION_ARCH.deb
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[ $# -eq 1 ] || {
  echo "usage: tests/package/install_check.sh PACKAGE.deb" >&2
  exit 2
}
deb="$(realpath "$1")"
say() { echo "package check: $*"; }
fail() {
  echo "package check: FAILED: $*" >&2
  exit 1
}
[ "$(id -u)" -eq 0 ] || fail "must run as root (it installs and purges the package)"
installed() { dpkg-query -W -f='${Status}' tractus 2>/dev/null | grep -q "install ok installed"; }

if dpkg-query -W tractus >/dev/null 2>&1 || [ -e /var/lib/tractus ]; then
  fail "tractus is installed here, or was (/var/lib/tractus exists): this check installs and
purges its own package, so it runs only where neither is (CI's fresh machine, a scratch VM)"
fi

work="$(mktemp -d)"
# Ends a `tractus serve` the inner script left running: TERM, a moment, then KILL.
stop_serve() {
  local pid
  pid=$(cat "$work/serve.pid" 2>/dev/null || true)
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  stop_serve
  rm -rf "$work"
  if dpkg-query -W tractus >/dev/null 2>&1; then dpkg --purge tractus >/dev/null 2>&1 || true; fi
  rm -rf /var/lib/tractus # made by this check's installation (refused above if it was there)
}
trap cleanup EXIT

# 0. lintian, before anything is installed, judged by its own --fail-on: a tag it overrides
# does not count, an override that no longer matches does (mismatched-override). Pedantic tags
# are shown, not failed on. (Not --show-overrides: lintian 2.116 then fails on the overridden
# tags too.) Run as root, as this check must be, lintian says it should not be: that one line
# is dropped.
lintian_start=$(date +%s.%N)
if ! lintian --fail-on error,warning,info --display-info --pedantic "$deb" >"$work/lintian.log" 2>&1; then
  fail "lintian: tags the package does not override (fix each, or override it in
packaging/lintian-overrides with its reason and list it in docs/installing.md):
$(grep -v 'running with root privileges' "$work/lintian.log")"
fi
overrides=$(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/share/lintian/overrides/tractus |
  grep -c '^tractus:' || true)
say "lintian: no tag at error, warning or info level but the $overrides overridden ($(
  awk -v s="$lintian_start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f s", e - s }'))"
grep -v 'running with root privileges' "$work/lintian.log" | sed 's/^/package check:   /' || true

# 1. Install.
if ! dpkg -i "$deb" >"$work/dpkg.log" 2>&1; then
  say "dpkg -i left dependencies to resolve: apt-get -f install"
  DEBIAN_FRONTEND=noninteractive apt-get -f install -y -q >>"$work/dpkg.log" 2>&1 ||
    fail "the package did not install: $(tail -5 "$work/dpkg.log")"
fi
installed || fail "dpkg says tractus is not installed: $(tail -5 "$work/dpkg.log")"
say "installed $(dpkg-query -W -f='${Package} ${Version}' tractus) from $(basename "$deb")"

# 2. What the package made.
for user in tractus tractus-kiosk; do
  getent passwd "$user" >/dev/null || fail "no system user $user"
done
id -nG tractus-kiosk | tr ' ' '\n' | grep -qx tractus && fail "the kiosk's user is in the group tractus"
for dir in /var/lib/tractus /var/lib/tractus/journals /var/lib/tractus/calibration; do
  [ "$(stat -c '%U:%G %a' "$dir")" = "tractus:tractus 750" ] ||
    fail "$dir is $(stat -c '%U:%G %a' "$dir"), not tractus:tractus 750"
done
for conffile in /etc/tractus/tractus.json /etc/pam.d/tractus-kiosk; do
  dpkg-query -W -f='${Conffiles}' tractus | grep -q " $conffile " ||
    fail "$conffile is not a conffile"
done
for page in tractus tractus-sim; do
  [ -s "/usr/share/man/man1/$page.1.gz" ] || fail "no man page $page(1)"
done
[ -s /usr/share/tractus/profiles/lumbar-intermittent.json ] || fail "no stock profiles"
# Both units, each alone: any line systemd-analyze prints is a warning about it. (No systemd
# runs as PID 1 here; verify loads the unit offline, and checks that its commands exist: the
# kiosk's cage and chromium are installed by scripts/setup.sh.)
for unit in tractus.service tractus-kiosk.service; do
  systemd-analyze verify "/usr/lib/systemd/system/$unit" >"$work/verify.log" 2>&1 ||
    fail "systemd-analyze verify $unit: $(cat "$work/verify.log")"
  [ ! -s "$work/verify.log" ] || fail "systemd-analyze verify $unit: $(cat "$work/verify.log")"
done
[ ! -e /etc/systemd/system/graphical.target.wants/tractus-kiosk.service ] ||
  fail "the package enabled the kiosk"
say "users, folders, conffiles, man pages, profiles in place; both units pass systemd-analyze verify"

# 3. The installed programs alone, as the service's user.
chown tractus:tractus "$work"
cat >"$work/inside.sh" <<'INSIDE'
set -eu
cd "$WORK"
[ "$(command -v tractus)" = /usr/bin/tractus ] || { echo "tractus on PATH is $(command -v tractus)"; exit 1; }
if [ -e "$SOURCE/CMakeLists.txt" ]; then echo "the source tree is not hidden"; exit 1; fi
tractus --version >version.txt
tractus profile list >profiles.txt
grep -q lumbar-intermittent profiles.txt || { echo "profile list: $(cat profiles.txt)"; exit 1; }
tractus run --profile lumbar-intermittent --weight 80kg --journal "$WORK/journal" >run.txt 2>&1 ||
  { echo "tractus run failed: $(cat run.txt)"; exit 1; }
grep -q "Outcome   completed" run.txt || { echo "session: $(cat run.txt)"; exit 1; }
tractus config show >config.txt 2>&1 || { echo "config show: $(cat config.txt)"; exit 1; }
grep -q "/etc/tractus/tractus.json" config.txt || { echo "config show: $(cat config.txt)"; exit 1; }
# The console on the installed configuration (its folders under /var/lib/tractus), on a free
# loopback port, once its PINs are set as docs/installing.md says; its page comes from the
# binary.
echo 2468 | tractus pin set operator --data /var/lib/tractus >pin.txt 2>&1 || { cat pin.txt; exit 1; }
echo 1357 | tractus pin set technician --data /var/lib/tractus >pin.txt 2>&1 || { cat pin.txt; exit 1; }
tractus doctor --table sim >doctor.txt 2>&1 || { echo "doctor failed: $(cat doctor.txt)"; exit 1; }
tractus serve --listen 127.0.0.1:0 >serve.out 2>serve.err &
echo $! >serve.pid
trap 'kill -TERM "$(cat serve.pid)" 2>/dev/null || true' EXIT
port=""
for _ in $(seq 100); do
  port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' serve.out | head -1)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "tractus serve did not announce its port: $(cat serve.out serve.err)"; exit 1; }
curl -fsS --max-time 5 "http://127.0.0.1:$port/" >page.html ||
  { echo "no page on port $port: $(cat serve.err)"; exit 1; }
grep -qi "<html" page.html || { echo "the page is not HTML: $(head -c 200 page.html)"; exit 1; }
kill -INT "$(cat serve.pid)"
for _ in $(seq 100); do
  if ! kill -0 "$(cat serve.pid)" 2>/dev/null; then
    trap - EXIT
    # Its service log, outside systemd in the data folder (docs/logging.md), start to stop.
    cp /var/lib/tractus/log/tractus.log serve.log 2>/dev/null || true
    for line in "serve starting" "configuration: table = sim (/etc/tractus/tractus.json)" \
      "the console is at" "info  stopped"; do
      grep -qF "$line" serve.log || { echo "no \"$line\" in the service log: $(cat serve.log)"; exit 1; }
    done
    exit 0
  fi
  sleep 0.1
done
echo "tractus serve did not end on SIGINT"
exit 1
INSIDE
# A private mount namespace: the tmpfs over the source tree (and the build tree in it) is seen
# by this one command only, and goes with it.
if ! unshare --mount --propagation private sh -c '
  mount -t tmpfs -o size=1m tractus-hidden "$0" &&
  exec runuser -u tractus -- env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$1" WORK="$1" \
    SOURCE="$0" sh "$1/inside.sh"' "$root" "$work" >"$work/inside.log" 2>&1; then
  fail "the installed tractus, as user tractus with the source tree hidden: $(cat "$work/inside.log")"
fi
stop_serve
say "$(cat "$work/version.txt") from /usr/bin as user tractus, source tree hidden:"
say "  $(grep -c . "$work/profiles.txt") lines of stock profiles; a simulated session completed:"
grep -E "^(Outcome|Peak|Holds|Journal) " "$work/run.txt" | sed 's/^/package check:     /'
say "  config show read /etc/tractus/tractus.json; tractus doctor --table sim:"
sed 's/^/package check:     /' "$work/doctor.txt"
say "  serve answered its page ($(wc -c <"$work/page.html") bytes) and logged $(grep -c . "$work/serve.log") lines to /var/lib/tractus/log/tractus.log"

# 4. Purge, and what is left.
dpkg --purge tractus >"$work/purge.log" 2>&1 || fail "purge failed: $(cat "$work/purge.log")"
# Not the package's: man-db's cache of formatted pages (systemd-analyze verify ran `man tractus`
# for the unit's Documentation=), and the tables' lock files in /run/lock, runtime files of any
# tractus run (bindings/table_lock.hpp) that go at the next boot.
left=$(find /etc /usr /lib /var /opt /run -xdev \
  \( -path /var/lib/tractus -o -path "$root" -o -path /var/cache/man \) -prune -o \
  -name '*tractus*' ! -path '/run/lock/tractus-table-*.lock' -print 2>/dev/null || true)
[ -z "$left" ] || fail "left after the purge: $left"
for user in tractus tractus-kiosk; do
  getent passwd "$user" >/dev/null && fail "the system user $user is left after the purge"
  getent group "$user" >/dev/null && fail "the group $user is left after the purge"
done
[ -d /var/lib/tractus/journals ] || fail "the purge removed /var/lib/tractus (records must stay)"
[ "$(stat -c '%U:%G %a' /var/lib/tractus)" = "root:root 700" ] ||
  fail "/var/lib/tractus is $(stat -c '%U:%G %a' /var/lib/tractus) after the purge, not root:root 700"
say "purged: nothing named tractus left in /etc /usr /lib /var /opt /run but /var/lib/tractus, kept (root, 0700); users gone"
