// Benchmark workload: canonical JSON of generation manifests (src/gen's canonicalJson, on the path of every
// manifest hash and signature). Usage: node dist/evolve/speed/workloads/canonical-json.js <repetitions>
// Prints only a digest of what it computed, so the stage can check that a candidate computes the same bytes;
// it prints no timing: the stage measures the CPU time of the whole process from outside.
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../gen/index.js';
import { repetitionsArg } from './args.js';

/** A manifest-shaped value: nested objects with unsorted keys, arrays, strings, numbers, booleans, null. */
function manifest(i: number): unknown {
  const files = Array.from({ length: 120 }, (_, j) => ({
    sha256: createHash('sha256').update(`${i}:${j}`).digest('hex'),
    path: `src/sub${j % 7}/file-${j}.ts`, size: (i * 7919 + j * 104729) % 65536, mode: j % 5 === 0 ? 0o755 : 0o644,
    tags: j % 3 === 0 ? ['exec', 'boot'] : [], signed: j % 2 === 0, note: j % 11 === 0 ? null : `n${j}`,
  }));
  return { version: 3, id: `g${i}`, parent: i > 0 ? `g${i - 1}` : null, files, meta: { builder: 'dialogos', z: { y: { x: [1, 2.5, -0] } } } };
}

const reps = repetitionsArg(process.argv);
const values = Array.from({ length: 8 }, (_, i) => manifest(i));
const digest = createHash('sha256');
for (let r = 0; r < reps; r++) {
  for (const v of values) {
    const text = canonicalJson(v);
    if (r === 0) digest.update(text);
  }
}
process.stdout.write(`digest ${digest.digest('hex')}\n`);
