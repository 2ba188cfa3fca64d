#!/usr/bin/env bash
# Code index benchmark: compiles when needed, then runs src/mind/bench/run.ts (see bench/mind/README.md).
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.."
[ -d node_modules ] || npm ci --omit=optional --no-audit --no-fund --loglevel=error
node_modules/.bin/tsc -p tsconfig.json
exec node dist/mind/bench/run.js --json build/bench/mind.json "$@"
