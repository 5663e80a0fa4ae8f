#!/usr/bin/env bash
# Installs what tractus needs from Debian's packages, and nothing that is already there.
# Idempotent: with everything installed it only checks, and `apt-get update` runs only when a
# package is missing.
set -euo pipefail

packages=(
  cmake g++ pkg-config make
  libmodbus-dev libboost-dev libeigen3-dev libspdlog-dev nlohmann-json3-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # independent Modbus peers and serial pseudo-terminals for the integration tests
  mbpoll python3-pymodbus socat
  # libFuzzer (clang) for the fuzz targets
  clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "tractus setup: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
