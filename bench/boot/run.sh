#!/usr/bin/env bash
# Boot benchmark entry: compiles when needed, then runs src/vm/bench/run.ts (see bench/boot/README.md).
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.."
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
node_modules/.bin/tsc -p tsconfig.json
exec node dist/vm/bench/run.js "$@"
