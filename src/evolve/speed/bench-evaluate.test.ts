// The evaluator of benchmark targets on a tiny real project (src/testkit/evolve/evaluate/project.ts) with a real
// workload over its math.ts: the test evaluator's pass-to-pass stages (real tests, local runner) composed with the
// benchmark stage (real child processes). Each way a candidate can fail or cheat is rejected at its stage.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as ts from 'typescript';
import { makeProject, type Project } from '../../testkit/evolve/evaluate/project.js';
import { createEvaluator, createLocalRunner, type Evaluator } from '../evaluate/index.js';
import { makeCandidate } from '../gates.js';
import type { Evaluation, FileChange, Runner, Target } from '../index.js';
import { benchEvaluator } from './bench-evaluate.js';
import { ChildRunner } from './child-runner.js';
import { BenchmarkRegistry } from './registry.js';

const WORK = `import { mul } from './math.js';
let s = 0;
for (let i = 0; i < 2e6 * Number(process.argv.at(-1)); i++) s = (s + mul(i % 1000, 7)) % 1000003;
console.log('digest ' + s);
`;
const registry = new BenchmarkRegistry([
  { name: 'mul-loop', argv: [process.execPath, 'dist/work.js'], repetitions: 1, own: ['dist/work.js'], hot: ['src/math.ts'], description: 'mul in a loop' },
]);
const target: Target = { kind: 'benchmark', benchmark: 'mul-loop', scope: ['src/math.ts'], origin: 'bench:mul-loop' };
const LIMITS = { wallMs: 60_000, memoryBytes: 1 << 30, pids: 32, fileBytes: 1 << 20, tmpBytes: 1 << 20 };

let p: Project;
let tests: Evaluator;
before(() => {
  p = makeProject();
  writeFileSync(join(p.root, 'dist/work.js'), WORK);
  tests = createEvaluator({ root: p.root, runner: createLocalRunner(), ts });
});
after(() => p.cleanup());

const judge = (changes: FileChange[], runner: Runner = new ChildRunner({ include: ['dist', 'package.json'] })): Promise<Evaluation> =>
  benchEvaluator({
    runner, lower: p.root, env: { PATH: '/usr/bin:/bin' }, limits: LIMITS, registry,
    passToPass: (c, scope) => tests.passToPass(c, scope), stage: { blocks: 2, quick: true },
  })(makeCandidate(changes), target);
const stagesOf = (e: Evaluation) => e.stages.map((s) => `${s.stage}:${s.pass ? 'pass' : 'fail'}`);

test('an equal candidate passes its tests and is rejected by the benchmark stage; the costlier tests never run', async () => {
  const e = await judge([p.edit('src/math.ts', 'return a * b;', 'return a * b; // the same product')]);
  assert.deepEqual(stagesOf(e), ['static:pass', 'typecheck:pass', 'direct:pass', 'benchmark:fail'], e.reason);
  assert.equal(e.accepted, false);
  assert.equal(e.fitness, 0);
  assert.match(e.reason, /^rejected at benchmark: (No speedup: mul-loop ×|Host too noisy)/);
  assert.match(e.stages[2]!.detail, /2 test files, 3 tests as on the parent/, 'math.test.ts (its failing test failing as on the parent) and math-table.test.ts');
});

test('a candidate that breaks a test reaching the changed file is rejected there, before any benchmark run', async () => {
  let runs = 0;
  const counting: Runner = { run: (r) => { runs++; return new ChildRunner({ include: ['dist', 'package.json'] }).run(r); } };
  const e = await judge([p.edit('src/math.ts', 'return a * b;', 'return a * b + 1;')], counting);
  assert.deepEqual(stagesOf(e), ['static:pass', 'typecheck:pass', 'direct:fail'], e.reason);
  assert.equal(runs, 0);
});

test('a candidate that computes other results is rejected by the first run of each side', async () => {
  // No test multiplies 999, so the tests pass; the workload does, so its digest differs.
  const e = await judge([p.edit('src/math.ts', 'return a * b;', 'return a === 999 ? 0 : a * b;')]);
  assert.deepEqual(stagesOf(e), ['static:pass', 'typecheck:pass', 'direct:pass', 'benchmark:fail'], e.reason);
  assert.match(e.reason, /printed other results than the parent on benchmark "mul-loop"/);
});

test('red team: a candidate raising its own budget or editing the benchmark is refused by the static gates', async () => {
  const fix = p.edit('src/math.ts', 'return a * b;', 'return b * a;');
  for (const extra of [
    { path: 'src/evolve/loop/budget.ts', before: null, after: 'export const parseBudget = () => ({ evaluations: 1e9, minutes: 1e9 });\n' },
    { path: 'src/evolve/speed/benchmarks.ts', before: null, after: 'export const REPETITIONS = 1;\n' },
    { path: 'dist/work.js', before: WORK, after: "console.log('digest 0');\n" },
    { path: 'src/stats.ts', before: p.read('src/stats.ts'), after: `${p.read('src/stats.ts')}// outside the benchmark's scope\n` },
  ]) {
    const e = await judge([fix, extra]);
    assert.deepEqual(stagesOf(e), ['static:fail'], `${extra.path}: ${e.reason}`);
    assert.equal(e.accepted, false);
  }
});

test('red team: NaN or Infinity CPU figures from a run reject the candidate, never accept it', async () => {
  for (const bad of [NaN, Infinity, -1, 0]) {
    const real = new ChildRunner({ include: ['dist', 'package.json'] });
    const forged: Runner = { run: async (r) => ({ ...(await real.run(r)), cpuMs: bad }) };
    const e = await judge([p.edit('src/math.ts', 'return a * b;', 'return b * a;')], forged);
    assert.deepEqual(stagesOf(e), ['static:pass', 'typecheck:pass', 'direct:pass', 'benchmark:fail'], `${bad}: ${e.reason}`);
    assert.match(e.reason, /is not a positive finite CPU time/, String(bad));
  }
});

test('a target that is not a known benchmark is refused by name', async () => {
  const ev = benchEvaluator({ runner: createLocalRunner(), lower: p.root, env: {}, limits: LIMITS, registry, passToPass: (c, s) => tests.passToPass(c, s) });
  const c = makeCandidate([p.edit('src/math.ts', 'return a * b;', 'return b * a;')]);
  await assert.rejects(ev(c, { ...target, benchmark: 'boot' }), { name: 'UnknownBenchmarkError', message: /Cannot find benchmark "boot": known are mul-loop/ });
  await assert.rejects(ev(c, { kind: 'tests', failToPass: [], origin: 'x' }), { name: 'UnknownBenchmarkError', message: /it is a "tests" target/ });
});
