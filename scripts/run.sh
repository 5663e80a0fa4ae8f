#!/usr/bin/env bash
# Sets up, builds and runs a simulated session: the stock lumbar intermittent protocol for an
# 80 kg patient on the in-process simulator at full speed. Extra arguments go to `tractus run`
# (for example --inject patient-switch@300s, or --realtime).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target tractus -j "$(nproc)" >/dev/null
exec build/release/apps/tractus run --profile lumbar-intermittent --weight 80kg "$@"
