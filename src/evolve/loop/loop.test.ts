// The loop with real small parts: garbage and patches that do not apply are recorded as rejected, the fix
// is found and the run ends when the target is met, duplicates are dropped, budgets are frozen and kept,
// an evaluator's error or NaN is recorded as such, and children of an accepted candidate compose on it.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as ts from 'typescript';
import { openArchive } from '../archive/archive.js';
import { TOOLS } from '../../testkit/evolve/archive-records.js';
import type { Candidate } from '../candidate.js';
import type { ProposeContext } from '../types.js';
import { runLoop, type LoopOptions } from './loop.js';
import { DEFECT, FIXED, TARGET, defectTree, edit, fixes, given, judge } from '../../testkit/evolve/loop-parts.js';

function withLoop(body: (root: string, dir: string, base: Omit<LoopOptions, 'proposers' | 'evaluate'>) => Promise<void>) {
  return async () => {
    const root = defectTree();
    const dir = mkdtempSync(join(tmpdir(), 'evolve-loop-archive-'));
    const archive = openArchive(dir);
    try {
      await body(root, dir, { archive, root, tools: TOOLS, spec: 'test:src/m.test.ts', target: TARGET, budget: { evaluations: 50, minutes: null }, ts });
    } finally {
      archive.close();
      rmSync(root, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test('garbage, patches that do not apply and unparseable TypeScript are recorded as rejected; the fix meets the target', withLoop(async (_root, _dir, base) => {
  const garbage = given('garbage', [
    42, null, { changes: 'nope' }, { changes: [{ path: 7, before: null, after: 'x' }], provenance: { proposer: 'g' } },
    edit(DEFECT, 'x', 'escape', '../outside.ts'), edit('something else\n', FIXED, 'stale'), edit(DEFECT, 'export const add = (a, b) => {{;\n', 'broken'),
  ]);
  const fix = given('fix', [edit(DEFECT, 'export const add = 0;\n'), edit(DEFECT, 'export const add = 1;\n'), edit(DEFECT, 'export const add = 2;\n'),
    edit(DEFECT, 'export const add = 3;\n'), edit(DEFECT, 'export const add = 4;\n'), edit(DEFECT, 'export const add = 5;\n'), edit(DEFECT, 'export const add = 6;\n'),
    edit(DEFECT, FIXED, 'swap-operator'), edit(DEFECT, FIXED)]);
  const run = await runLoop({ ...base, proposers: [garbage, fix], evaluate: judge(fixes) });
  assert.equal(run.status, 'met', run.reason);
  const recs = base.archive.candidates(run.id).map((e) => base.archive.getCandidate(e.id));
  const rules = recs.filter((r) => r.logs.some((l) => l.startsWith('refused'))).map((r) => r.stages[0]!.detail.split(':')[0]);
  assert.deepEqual(rules.sort(), ['does-not-apply', 'does-not-parse', 'malformed-proposal', 'malformed-proposal', 'malformed-proposal', 'malformed-proposal', 'malformed-proposal']);
  assert.ok(recs.find((r) => r.stages[0]?.detail.includes('"../outside.ts" outside the tree')));
  const won = recs.find((r) => r.decision === 'accepted')!;
  assert.equal(won.provenance.operator, 'swap-operator');
  assert.equal(won.parent, 'tree');
  assert.match(won.diff, /^-export const add = \(a: number, b: number\): number => a - b;$/m);
  assert.equal(run.best?.id, won.id);
  assert.equal(recs.length, 15, 'the run ends at the fix: its duplicate is never asked for');
  assert.equal(run.counts.malformed, 7);
  assert.deepEqual(run.counts.stages['fail-to-pass'], { run: 8, passed: 1 });
}));

test('a duplicate is dropped before evaluation, and the run ends when the proposers have nothing new', withLoop(async (_root, _dir, base) => {
  let evaluated = 0;
  const evaluate = async (...a: Parameters<ReturnType<typeof judge>>) => { evaluated++; return judge(() => false)(...a); };
  const run = await runLoop({ ...base, proposers: [given('a', [edit(DEFECT, 'export const add = 1;\n'), edit(DEFECT, 'export const add = 1;\n')])], evaluate });
  assert.equal(evaluated, 1);
  assert.equal(run.status, 'exhausted');
  assert.ok(run.counts.duplicates >= 1);
}));

test('the evaluation budget stops the run, and nothing the parts do can raise it', withLoop(async (_root, _dir, base) => {
  const many = Array.from({ length: 30 }, (_, i) => edit(DEFECT, `export const add = ${i};\n`));
  const budget = { evaluations: 5, minutes: null };
  const evaluate = async (...a: Parameters<ReturnType<typeof judge>>) => {
    budget.evaluations = 1000; // a part that reaches for the options it was given changes nothing
    return judge(() => false)(...a);
  };
  const run = await runLoop({ ...base, budget, proposers: [given('many', many)], evaluate });
  assert.equal(run.status, 'budget');
  assert.equal(run.counts.evaluated, 5);
  assert.deepEqual(base.archive.getRun(run.id).budget, { evaluations: 5, minutes: null });
}));

test('the minutes budget stops the run (on the injected clock)', withLoop(async (_root, _dir, base) => {
  let t = 0;
  const many = Array.from({ length: 30 }, (_, i) => edit(DEFECT, `export const add = ${i};\n`));
  const run = await runLoop({ ...base, budget: { evaluations: null, minutes: 1 }, now: () => (t += 10_000), proposers: [given('many', many)], evaluate: judge(() => false) });
  assert.equal(run.status, 'budget');
  assert.match(run.reason, /1 minutes spent/);
  assert.ok(run.counts.evaluated < 6);
}));

test('an evaluator that throws or answers NaN is recorded as such and the run goes on', withLoop(async (_root, _dir, base) => {
  let n = 0;
  const evaluate: LoopOptions['evaluate'] = async (c, t) => {
    n++;
    if (n === 1) throw new Error('sandbox fell over');
    if (n === 2) return { ...(await judge(() => true)(c, t)), fitness: Number.NaN };
    return judge(fixes)(c, t);
  };
  const run = await runLoop({ ...base, proposers: [given('p', [edit(DEFECT, 'export const add = 1;\n'), edit(DEFECT, 'export const add = 2;\n'), edit(DEFECT, FIXED)])], evaluate });
  const recs = base.archive.candidates(run.id).map((e) => base.archive.getCandidate(e.id));
  assert.equal(recs[0]!.decision, 'error');
  assert.match(recs[0]!.reason, /^Cannot evaluate candidate "c-[0-9a-f]+": sandbox fell over$/);
  assert.equal(recs[1]!.decision, 'rejected');
  assert.match(recs[1]!.reason, /fitness is not a finite number \(NaN\)/);
  assert.equal(run.status, 'met');
}));

test('a proposer that throws is logged and the others go on', withLoop(async (_root, _dir, base) => {
  const bad = { name: 'bad', async *propose() { throw new Error('model went away'); } };
  const run = await runLoop({ ...base, proposers: [bad, given('fix', [edit(DEFECT, FIXED)])], evaluate: judge(fixes) });
  assert.equal(run.status, 'met');
  assert.ok(run.logs.some((l) => l.includes('proposer "bad" failed: model went away')));
}));

test('children of an accepted candidate see its files and are recorded against the base tree', withLoop(async (root, _dir, base) => {
  const seen: ProposeContext[] = [];
  const read = (r: string) => readFileSync(join(r, 'src', 'm.ts'), 'utf8');
  const half = 'export const add = (a: number, b: number): number => a - b + 0;\n';
  const target = { ...TARGET, failToPass: [...TARGET.failToPass, { file: 'src/m.test.ts', name: 'add is exact' }] };
  const fitness = (c: Candidate) => (c.changes[0]!.after === FIXED ? 2 : 1);
  const child = (ctx: ProposeContext) => (read(ctx.root) === half ? edit(half, FIXED, 'second-step') : edit(DEFECT, 'export const add = 0;\n'));
  const run = await runLoop({ ...base, target, proposers: [given('p', [edit(DEFECT, half, 'first-step'), child], seen)], evaluate: judge(() => true, fitness) });
  assert.equal(run.status, 'met', run.reason);
  const recs = base.archive.candidates(run.id).map((e) => base.archive.getCandidate(e.id));
  const first = recs.find((r) => r.provenance.operator === 'first-step'), second = recs.find((r) => r.provenance.operator === 'second-step');
  assert.match(recs.find((r) => r.stages[0]?.detail.startsWith('does-not-apply'))!.reason, /"src\/m.ts" does not apply to the parent/, 'the stale re-proposal is refused');
  assert.equal(first!.parent, 'tree');
  assert.equal(second!.parent, first!.id, 'the accepted candidate became the parent');
  assert.deepEqual(second!.changes, [{ path: 'src/m.ts', before: DEFECT, after: FIXED }], 'composed on the base tree');
  assert.notEqual(seen[1]!.root, root);
  assert.equal(read(root), DEFECT, 'the base tree is never written');
  assert.throws(() => readFileSync(join(seen[1]!.root, 'src', 'm.ts')), { code: 'ENOENT' }, 'the view is removed after its round');
}));

test('a long run prints progress lines: budget used, stage counts, best fitness, evaluations per hour', withLoop(async (_root, _dir, base) => {
  const lines: string[] = [];
  let t = 0;
  const many = Array.from({ length: 4 }, (_, i) => edit(DEFECT, `export const add = ${i};\n`));
  await runLoop({ ...base, now: () => (t += 60_000), progressEveryMs: 1, progress: (l) => lines.push(l), proposers: [given('p', [...many, edit(DEFECT, FIXED)])], evaluate: judge(fixes) });
  assert.ok(lines.length >= 5, lines.join('\n'));
  assert.match(lines[0]!, /^evolve r-\S+: 1\/50 evaluations; 0 accepted, 0 malformed, 0 duplicates; best none; [\d.]+ evaluations\/hour; static 1\/1, fail-to-pass 0\/1$/);
  assert.match(lines.at(-1)!, /5\/50 evaluations; 1 accepted.*best 1 \(c-[0-9a-f]{16}\).*; ended: candidate "c-[0-9a-f]{16}" fixes every target test$/);
}));

test('a proposer that only repeats itself ends its turn after `limit` duplicates; one that hangs is cut off by the minutes budget', withLoop(async (_root, _dir, base) => {
  const endless = { name: 'endless', async *propose() { for (;;) yield edit(DEFECT, 'export const add = 7;\n'); } };
  const run = await runLoop({ ...base, batch: 4, proposers: [endless], evaluate: judge(() => false) });
  assert.equal(run.status, 'exhausted');
  assert.deepEqual([run.counts.evaluated, run.counts.duplicates], [1, 12], 'one new, then four duplicates, then eight (each round asks for more)');
  const hung = { name: 'hung', async *propose() { await new Promise(() => {}); } };
  const t0 = Date.now();
  const cut = await runLoop({ ...base, budget: { evaluations: null, minutes: 0.005 }, proposers: [hung], evaluate: judge(() => false) });
  assert.equal(cut.status, 'budget', cut.reason);
  assert.ok(Date.now() - t0 < 5_000);
  assert.ok(cut.logs.some((l) => l.includes('proposer "hung" gave nothing before the minutes budget ran out')));
}));

test('each round asks the proposers for more, so places past the first batch are reached before the run ends', withLoop(async (_root, _dir, base) => {
  const ideas = Array.from({ length: 10 }, (_, i) => `export const add = ${100 + i};\n`);
  const listed = { name: 'listed', async *propose(ctx: { limit: number }) { for (const t of ideas.slice(0, ctx.limit)) yield edit(DEFECT, t); } };
  const run = await runLoop({ ...base, batch: 4, proposers: [listed], evaluate: judge(() => false) });
  assert.equal(run.status, 'exhausted');
  assert.equal(run.counts.evaluated, 10, 'all ten ideas judged, not only the first batch of four');
}));
