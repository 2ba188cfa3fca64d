// bench/evolve speed demonstration: the benchmark stage judges candidates that change the project's own hot
// paths, each against the parent in the same run on the same host, with the intervals printed.
// Usage: node dist/evolve/speed/bench/demo.js [--blocks N] [--only SUBSTRING] [--json FILE] [--seed N]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as ts from 'typescript';
import { makeCandidate } from '../../gates.js';
import { benchEnv, projectBenchmarks, WORKLOAD_TREE } from '../benchmarks.js';
import { compileChanges } from '../build.js';
import { ChildRunner } from '../child-runner.js';
import { benchmarkStage, type BenchVerdict } from '../stage.js';
import { demoCandidates } from './candidates.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export async function run(argv: string[]): Promise<number> {
  const { values: a } = parseArgs({ args: argv, options: { blocks: { type: 'string', default: '20' }, only: { type: 'string' }, json: { type: 'string' }, seed: { type: 'string', default: '1' } } });
  const registry = projectBenchmarks();
  const limits = { wallMs: 60_000, memoryBytes: 2 ** 31, pids: 64, fileBytes: 2 ** 26, tmpBytes: 2 ** 26 };
  const ctx = { runner: new ChildRunner({ include: WORKLOAD_TREE }), lower: ROOT, env: benchEnv(), limits };
  const log = (l: string) => process.stdout.write(`  ${l}\n`);
  const rows: Array<{ name: string; expect: string; verdict: Omit<BenchVerdict, 'comparisons' | 'calibration'> & Pick<BenchVerdict, 'comparisons' | 'calibration'> }> = [];
  let wrong = 0;
  for (const c of demoCandidates(ROOT).filter((x) => !a.only || x.name.includes(a.only))) {
    const candidate = makeCandidate(c.changes);
    process.stdout.write(`${c.name} (${candidate.id}; ${c.changes.map((x) => x.path).join(', ')}), target canonical-json:\n`);
    const verdict = await benchmarkStage(candidate, {
      ...ctx, registry, target: 'canonical-json', blocks: Number(a.blocks), quick: Number(a.blocks) < 20, seed: Number(a.seed), log,
      prepare: (ch) => compileChanges(ts, ch),
    });
    const got = verdict.result.pass ? 'accept' : 'reject';
    if (got !== c.expect) wrong++;
    const cost = `${(verdict.result.cpuMs / 60000).toFixed(1)} CPU-min, ${(verdict.result.wallMs / 60000).toFixed(1)} min`;
    process.stdout.write(`  => ${got.toUpperCase()}${got === c.expect ? '' : ` (expected ${c.expect})`}: ${verdict.result.detail} [${cost}]\n`);
    rows.push({ name: c.name, expect: c.expect, verdict });
  }
  if (a.json) {
    mkdirSync(dirname(a.json), { recursive: true });
    writeFileSync(a.json, `${JSON.stringify({ host: { load: (await import('node:os')).loadavg() }, rows }, null, 1)}\n`);
  }
  return wrong === 0 ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = await run(process.argv.slice(2));
