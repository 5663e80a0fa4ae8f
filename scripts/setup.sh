#!/usr/bin/env bash
# Installs what tractus needs from Debian's packages, and nothing that is already there.
# Idempotent: with everything installed it only checks, and `apt-get update` runs only when a
# package is missing.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config make
  libmodbus-dev libboost-dev libeigen3-dev libspdlog-dev nlohmann-json3-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # independent Modbus peers and serial pseudo-terminals for the integration tests.
  # python3 (Debian's /usr/bin/python3): the vendor-table stand-in also uses ctypes and gc
  # from its standard library, named here too: ctypes is in libpython3-stdlib
  # (libpython3.11-stdlib), gc is built into the interpreter (python3-minimal). Both are
  # dependencies of python3, which recommends nothing a test uses.
  # python3-pymodbus (3.0.0-7) imports serial and serial_asyncio but only recommends
  # python3-serial-asyncio (and python3-typer, for its console, which no test uses), and this
  # script installs without recommends: serial and serial-asyncio are named here.
  mbpoll python3 python3-minimal libpython3-stdlib python3-pymodbus python3-serial
  python3-serial-asyncio socat
  # libFuzzer (clang) for the fuzz targets
  clang libclang-rt-14-dev
  # the table console: PIN hashing, and the browser its end-to-end test drives
  libsodium-dev chromium
  # cyclictest, the platform's latency beside the loop's (bench/modbus_under_load.sh);
  # taskset (util-linux) pins the bench's busy loop
  rt-tests util-linux
  # HTTPS for a console served beyond loopback; the openssl tool makes the TLS test's certificate
  libssl-dev openssl
  # the Debian package (scripts/package.sh): man pages from --help, dpkg-shlibdeps for its
  # Depends (CPack runs `file` to find the executables); its check (tests/package/install_check.sh) makes the system user with adduser,
  # hides the source tree with unshare and mount (util-linux, mount), runs as that user with
  # runuser (util-linux), and fetches the installed console's page with curl
  help2man dpkg-dev file adduser mount curl gzip
  # lintian judges the .deb (tests/package/install_check.sh); cage, the Wayland kiosk
  # compositor the optional kiosk unit runs chromium in (packaging/tractus-kiosk.service)
  lintian cage
  # the service: sd_notify (libsystemd-dev), and systemd-analyze to verify its unit (systemd),
  # which runs `man` for the unit's Documentation= (man-db)
  libsystemd-dev systemd man-db
  # the records store (docs/records.md): SOCI and the client libraries of its two back ends
  # (libsoci-dev's headers include sqlite3.h and libpq-fe.h but it depends on neither -dev);
  # postgresql, the server the records tests start for themselves (tests/support/postgres_cluster)
  libsoci-dev libsqlite3-dev libpq-dev postgresql
  # reports (docs/reports.md): cairo draws them in DejaVu Sans; poppler-utils reads them in tests
  libcairo2-dev fonts-dejavu-core poppler-utils
)
# Node.js and npm bundle the console's charting library and run the browser test. A machine
# that already has them (from Debian or NodeSource) keeps its own.
if ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    sudo="sudo"
  fi
  echo "tractus setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm packages, exactly as pinned by each package-lock.json, installed only when the lock file
# changed since the last install (npm records the installed tree in node_modules/.package-lock.json).
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# tests/fhir: the FHIR validators (Medplum's, and HL7's fhir.schema.json through ajv).
for dir in console/web tests/e2e tests/fhir; do
  lock="$root/$dir/package-lock.json"
  [ -f "$lock" ] || continue
  if [ ! -f "$root/$dir/node_modules/.package-lock.json" ] ||
    [ "$lock" -nt "$root/$dir/node_modules/.package-lock.json" ]; then
    echo "tractus setup: npm ci in $dir" >&2
    (cd "$root/$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
