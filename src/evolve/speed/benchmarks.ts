// The project's own benchmarks: workloads over real hot paths (src/evolve/speed/workloads), and what a run of
// one needs from the tree. The registry, the repetition counts and the environment are the evaluator's.
import { dirname } from 'node:path';
import { BenchmarkRegistry, type Benchmark } from './registry.js';

/** The workloads' own files: a candidate that touches them is refused by the stage. */
export const WORKLOAD_PATHS = ['src/evolve/speed/', 'dist/evolve/speed/'];

/** What a run of these workloads reads from the tree (for ChildRunner's `include`). */
export const WORKLOAD_TREE = ['package.json', 'dist/std', 'dist/gen', 'dist/mind', 'dist/evolve/speed/workloads'];

const workload = (name: string, repetitions: number, hot: string[], description: string): Benchmark => ({
  name, repetitions, description, hot, own: WORKLOAD_PATHS,
  argv: [process.execPath, `dist/evolve/speed/workloads/${name}.js`],
});

/** canonical-json (src/gen) and mind-tokenize (src/mind), each run about 0.3 CPU-s of hot path over 0.25 CPU-s of start-up. */
export function projectBenchmarks(): BenchmarkRegistry {
  return new BenchmarkRegistry([
    workload('canonical-json', 50, ['src/gen/canonical.ts'], "canonicalJson of eight 120-file generation manifests (src/gen/canonical.ts)"),
    workload('mind-tokenize', 50, ['src/mind/tokens.ts'], "the code index's retrieval tokens of 2000 source-like lines (src/mind/tokens.ts)"),
  ]);
}

/** The whole environment of a benchmark run: the same for parent and candidate, no keys, nothing inherited. */
export function benchEnv(): Record<string, string> {
  return { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, LANG: 'C.UTF-8', TZ: 'UTC' };
}
