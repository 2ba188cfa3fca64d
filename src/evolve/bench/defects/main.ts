// bench/evolve seeded-defect benchmark: seeds defects in the model's held-out files, validates them with the
// evaluator's parts on the built tree, then repairs each validated one with every arm at an equal budget.
// Usage: node dist/evolve/bench/defects/main.js [--defects N] [--minutes M] [--evals K] [--seed S]
//   [--first-order N] [--higher-order N] [--model FILE.gguf] [--chat-url URL --chat-model NAME] [--json FILE]
//   [--runner local|sandbox] [--concurrency N] [--file-seconds S]
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as ts from 'typescript';
import { BenchUsageError } from './errors.js';
import { generate } from './generate.js';
import { createBenchJudge, type Validation } from './judge.js';
import { pairTable, pairings, summarise, table, type Repaired } from './report.js';
import { repairDefect } from './repair.js';
import { setupArms, pickRunner } from './setup.js';
import { sharedPool } from './arms.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

const OPTIONS = {
  defects: { type: 'string', default: '20' }, minutes: { type: 'string', default: '30' }, evals: { type: 'string', default: '10' },
  seed: { type: 'string', default: '1' }, 'first-order': { type: 'string', default: '400' }, 'higher-order': { type: 'string', default: '60' },
  model: { type: 'string' }, 'chat-url': { type: 'string' }, 'chat-model': { type: 'string' }, json: { type: 'string' },
  runner: { type: 'string' }, concurrency: { type: 'string', default: '2' }, 'file-seconds': { type: 'string', default: '60' },
} as const;

type Args = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

function positive(a: Args, key: 'defects' | 'minutes' | 'evals' | 'seed' | 'first-order' | 'higher-order' | 'concurrency' | 'file-seconds'): number {
  const v = Number(a[key]);
  if (!Number.isInteger(v) || v < (key === 'seed' || key === 'higher-order' ? 0 : 1)) throw new BenchUsageError(`Cannot run the benchmark with --${key} "${a[key]}": not a positive integer`);
  return v;
}

const log = (l: string) => process.stdout.write(`${l}\n`);

export async function run(argv: string[]): Promise<number> {
  const a = parseArgs({ args: argv, options: OPTIONS }).values;
  const n = { defects: positive(a, 'defects'), minutes: positive(a, 'minutes'), evals: positive(a, 'evals'), seed: positive(a, 'seed') };
  const t0 = Date.now();
  const left = (share: number) => t0 + n.minutes * 60_000 * share - Date.now();
  const runner = await pickRunner(ROOT, a.runner);
  log(`runner: ${runner.name}`);
  const gen = generate(ts, { root: ROOT, seed: n.seed, firstOrder: positive(a, 'first-order'), higherOrder: positive(a, 'higher-order') });
  const sides = gen.defects.filter((x) => x.side === 'held-out').length;
  log(`seeded ${gen.defects.length} defects (${sides} held out) in ${gen.files.length} model-held-out files with direct tests (${gen.untested} without left out)`);
  const judge = createBenchJudge({ root: ROOT, runner: runner.runner, ts, workDir: join(tmpdir(), 'evolve-defect-bench'), concurrency: positive(a, 'concurrency'),
    fileMs: positive(a, 'file-seconds') * 1000 });
  judge.warm();
  const validated: Array<{ id: string; side: string; tier: string; operator: string; file: string; v: Validation }> = [];
  const kept: Array<{ x: (typeof gen.defects)[number]; v: Validation }> = [];
  for (const x of gen.defects) {
    if (kept.length >= n.defects || left(0.5) <= 0) break;
    const v = await judge.validate(x.d);
    validated.push({ id: x.d.id, side: x.side, tier: x.d.tier, operator: x.d.operator, file: x.d.file, v });
    if (v.valid) kept.push({ x, v });
    log(`  validate ${x.d.id} ${x.d.operator} ${x.d.file}:${x.d.line}: ${v.valid ? 'KEPT' : 'dropped'} (${v.reason}) ${(v.wallMs / 1000).toFixed(1)} s`);
  }
  const arms = setupArms(ts, ROOT, { model: a.model, chatUrl: a['chat-url'], chatModel: a['chat-model'], evals: n.evals }, log);
  const repaired: Repaired[] = [];
  for (const { x, v } of kept) {
    if (left(1) <= 0) { log(`  minutes budget spent: ${kept.length - repaired.length} validated defects not repaired`); break; }
    const results = await repairDefect(x.d, v, await sharedPool(ts, x.d, n.seed), { ts, judge, arms: arms.arms, evals: n.evals, seed: n.seed });
    repaired.push({ d: x.d, side: x.side, results });
    log(`  repair ${x.d.id} ${x.d.operator}: ${results.map((r) => `${r.arm} ${r.outcome}@${r.evals}/${r.candidates}`).join(', ')}`);
  }
  return finish(a, n, { gen, validated, repaired, armNames: arms.arms.map((x) => x.name), skipped: arms.skipped, runner: runner.name, t0, argv });
}

interface Outcome {
  gen: ReturnType<typeof generate>;
  validated: Array<{ id: string; side: string; tier: string; operator: string; file: string; v: Validation }>;
  repaired: Repaired[];
  armNames: string[];
  skipped: Record<string, string>;
  runner: string;
  t0: number;
  argv: string[];
}

function finish(a: Args, n: { evals: number }, o: Outcome): number {
  const s = summarise(o.armNames, o.repaired);
  const held = summarise(o.armNames, o.repaired.filter((r) => r.side === 'held-out'));
  const tiers = Object.fromEntries(['first-order', 'higher-order'].map((t) => [t, summarise(o.armNames, o.repaired.filter((r) => r.d.tier === t))]));
  const ps = pairings(o.armNames, o.repaired);
  const dropped: Record<string, number> = {};
  for (const x of o.validated.filter((y) => !y.v.valid)) {
    const kind = x.v.reason.split(':')[0]!.replace(/ of \S+ cannot/, ' cannot');
    dropped[kind] = (dropped[kind] ?? 0) + 1;
  }
  log('');
  log(table(`All ${o.repaired.length} repaired defects, ${n.evals} evaluations per arm per defect`, s));
  log(table(`Held-out side (${held[0]?.defects ?? 0} defects)`, held));
  for (const [t, x] of Object.entries(tiers)) log(table(`Tier ${t}`, x));
  log(pairTable(ps));
  for (const [arm, why] of Object.entries(o.skipped)) log(`skipped arm ${arm}: ${why}`);
  const valid = o.validated.filter((x) => x.v.valid).length;
  log(`validated ${o.validated.length} of ${o.gen.defects.length} seeded: ${valid} kept; dropped ${JSON.stringify(dropped)}; ${((Date.now() - o.t0) / 60_000).toFixed(1)} min`);
  const out = a.json ?? join(ROOT, 'build', 'bench', 'evolve-defects.json');
  mkdirSync(dirname(out), { recursive: true });
  const reproduce = `bench/evolve/defects.sh ${o.argv.join(' ')}`.trim();
  writeFileSync(out, `${JSON.stringify({
    reproduce, runner: o.runner, date: new Date().toISOString(), evals: n.evals, minutes: (Date.now() - o.t0) / 60_000,
    seeded: { defects: o.gen.defects.length, heldOut: o.gen.defects.filter((x) => x.side === 'held-out').length, files: o.gen.files.length, untestedFiles: o.gen.untested, strata: o.gen.strata },
    validation: { tried: o.validated.length, kept: valid, dropped, records: o.validated.map(({ v, ...r }) => ({ ...r, ...v })) },
    arms: o.armNames, skipped: o.skipped, summary: s, heldOut: held, tiers, mcnemar: ps,
    repairs: o.repaired.map((r) => ({ id: r.d.id, side: r.side, tier: r.d.tier, operator: r.d.operator, file: r.d.file, line: r.d.line, results: r.results })),
  }, null, 2)}\n`);
  log(`wrote ${out}\nreproduce: ${reproduce}`);
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  run(process.argv.slice(2)).then((c) => { process.exitCode = c; }, (err: Error) => {
    process.stderr.write(`${err.name}: ${err.message}\n`);
    process.exitCode = err instanceof BenchUsageError ? 2 : 1;
  });
}
