#!/usr/bin/env bash
# Core benchmark entry: compiles when needed, then runs src/core/bench/run.ts (see bench/core/README.md).
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.."
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
node_modules/.bin/tsc -p tsconfig.json
exec node dist/core/bench/run.js --json build/bench/core.json "$@"
