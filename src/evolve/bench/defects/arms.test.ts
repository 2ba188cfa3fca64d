// The arms at an equal budget: each judges at most K distinct candidate texts of the defect's file, the
// shared pool orders differ only in order, a text is judged once for all arms, and exact fixes count apart.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ts from 'typescript';
import type { Defect } from '../../defects/index.js';
import { ngramSpanScorer, trainNgram } from '../../propose/index.js';
import type { Proposal } from '../../types.js';
import { kaliArm, randomArm, rankedArm, sharedPool, takeBudget } from './arms.js';
import type { BenchJudge, Validation } from './judge.js';
import { repairDefect } from './repair.js';

const ORIGINAL = 'export function within(x: number, lo: number, hi: number): boolean {\n  const ok = x >= lo && x <= hi;\n  log(x);\n  return ok;\n}\nfunction log(_x: number): void {}\n';
const BUGGY = ORIGINAL.replace('x <= hi', 'x < hi');
const FILE = 'src/gen/within.ts';
const defect: Defect = {
  id: 'd1', tier: 'first-order', file: FILE, subsystem: 'gen', operator: 'swap-relational', line: 2,
  mutations: [{ operator: 'swap-relational', line: 2, before: '<=', after: '<' }], originalLine: '  const ok = x >= lo && x <= hi;', mutatedLine: '  const ok = x >= lo && x < hi;',
  change: { path: FILE, before: ORIGINAL, after: BUGGY }, fix: { path: FILE, before: BUGGY, after: ORIGINAL },
};
const validation: Validation = { valid: true, reason: 'killed', killing: [{ file: 'src/gen/within.test.ts', name: 'within' }], testFiles: [], untrusted: [], wallMs: 0 };
const fiveGram = rankedArm('5-gram', ngramSpanScorer(trainNgram([ORIGINAL, ORIGINAL.replace(/x/g, 'y')])));
const proposal = (after: string | null, path = FILE): Proposal =>
  ({ changes: [{ path, before: BUGGY, after }], description: '', provenance: { proposer: 't', operator: 'op' }, prior: 0 });

describe('takeBudget', () => {
  it('takes at most K distinct texts that change the defect file', () => {
    const ps = [proposal(BUGGY), proposal('a'), proposal('a'), proposal(null), proposal('b', 'src/other.ts'), proposal('b'), proposal('c')];
    assert.deepEqual(takeBudget(ps, defect, 2).map((x) => x.text), ['a', 'b']);
    assert.deepEqual(takeBudget(ps, defect, 10).map((x) => x.text), ['a', 'b', 'c']);
  });
});

describe('the arms over the shared pool', () => {
  it('give every pool arm the same K evaluations, in their own orders', async () => {
    const pool = await sharedPool(ts, defect, 1);
    const distinct = new Set(takeBudget(pool, defect, 1000).map((x) => x.text));
    assert.ok(distinct.has(ORIGINAL) && distinct.size >= 6, String(distinct.size));
    const k = 5;
    const random = takeBudget(randomArm.order(pool, defect, 1) as Proposal[], defect, k);
    const ranked = takeBudget(fiveGram.order(pool, defect, 1) as Proposal[], defect, k);
    assert.equal(random.length, k);
    assert.equal(ranked.length, k);
    assert.deepEqual(takeBudget(randomArm.order(pool, defect, 1) as Proposal[], defect, k), random, 'seeded');
    assert.notDeepEqual(takeBudget(randomArm.order(pool, defect, 2) as Proposal[], defect, 1000), takeBudget(pool, defect, 1000));
    assert.ok((kaliArm.order(pool, defect, 1) as Proposal[]).every((p) => p.provenance.operator === 'delete-statement'));
  });
});

describe('repairDefect', () => {
  it('spends at most K evaluations per arm, judges a text once, and tells exact from plausible', async () => {
    const calls: string[] = [];
    const plausible = BUGGY.replace('x < hi', 'x < hi + 1');
    const judge: BenchJudge = { warm: () => {}, validate: async () => validation, repairs: async (_d, _v, t) => { calls.push(t); return t === ORIGINAL || t === plausible; } };
    const pool = [proposal('w1'), proposal('w2'), proposal(plausible), proposal(ORIGINAL)];
    const first = { name: 'in-order', order: (p: Proposal[]) => p };
    const last = { name: 'reversed', order: (p: Proposal[]) => [...p].reverse() };
    const short = { name: 'short', order: (p: Proposal[]) => p };
    const rs = await repairDefect(defect, validation, pool, { ts, judge, arms: [first, last], evals: 4, seed: 1 });
    assert.deepEqual(rs.map((r) => [r.arm, r.outcome, r.evals]), [['in-order', 'plausible', 3], ['reversed', 'exact', 1]]);
    assert.equal(calls.length, new Set(calls).size, 'each text judged once');
    assert.equal(rs[1]!.line, defect.originalLine);
    const [none] = await repairDefect(defect, validation, pool, { ts, judge, arms: [short], evals: 2, seed: 1 });
    assert.deepEqual([none!.outcome, none!.evals, none!.candidates], ['none', 2, 2]);
  });
});
