// The evaluator cascade on a tiny real project (src/testkit/evolve/evaluate/project.ts): the honest fix of a
// seeded bug is accepted with every stage recorded, and each way of cheating or breaking something is
// rejected at the stage meant for it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as ts from 'typescript';
import { makeCandidate, type FileChange, type Runner, type Target } from '../index.js';
import { makeProject, type Project } from '../../testkit/evolve/evaluate/project.js';
import { createEvaluator, createLocalRunner, type Evaluator } from './index.js';

let p: Project;
let ev: Evaluator;
const target: Target = { kind: 'tests', failToPass: [{ file: 'src/math.test.ts', name: 'add adds' }], origin: 'seeded: add subtracts' };
const FIX = ['return a - b;', 'return a + b;'] as const;
const fixed = (): FileChange => p.edit('src/math.ts', ...FIX);
/** The fix plus one more edit of math.ts. */
const fixedAnd = (from: string, to: string): FileChange => {
  const c = fixed();
  const after = c.after!.replace(from, to);
  assert.notEqual(after, c.after, `the edit must change math.ts (${from})`);
  return { ...c, after };
};
const judge = (...changes: FileChange[]) => ev.evaluate(makeCandidate(changes), target);
const stagesOf = (e: { stages: Array<{ stage: string; pass: boolean }> }) => e.stages.map((s) => `${s.stage}:${s.pass ? 'pass' : 'fail'}`);

before(() => {
  p = makeProject();
  ev = createEvaluator({ root: p.root, runner: createLocalRunner(), ts });
});
after(() => p.cleanup());

describe('the honest fix', () => {
  test('is accepted with every stage recorded, timed and explained', async () => {
    const e = await judge(fixed());
    assert.deepEqual(stagesOf(e), ['static:pass', 'typecheck:pass', 'fail-to-pass:pass', 'direct:pass', 'import-reached:pass'], e.reason);
    assert.equal(e.accepted, true);
    assert.equal(e.fitness, 1);
    for (const s of e.stages) {
      assert.ok(s.wallMs >= 0 && s.cpuMs >= 0 && s.detail.length > 0, `${s.stage}: ${JSON.stringify(s)}`);
    }
    assert.match(e.stages[2]!.detail, /1 test files, 2 tests as on the parent, 3 runs/);
    assert.match(e.stages[3]!.detail, /1 test files, 1 tests/, 'math-table.test.ts imports math.ts directly');
    assert.match(e.stages[4]!.detail, /1 test files, 2 tests/, 'stats.test.ts reaches math.ts through stats.ts');
    assert.ok(e.stages[2]!.cpuMs > 0, 'the test stages count the CPU time of their processes');
  });

  test('with the unit stage on, the whole suite runs last', async () => {
    const withUnit = createEvaluator({ root: p.root, runner: createLocalRunner(), ts, unit: true });
    const e = await withUnit.evaluate(makeCandidate([fixed()]), target);
    assert.equal(e.stages.at(-1)!.stage, 'unit');
    assert.equal(e.accepted, true, e.reason);
    assert.match(e.stages.at(-1)!.detail, /no test files left/, 'every unit test file was already run by an earlier stage');
  });
});

describe('rejected', () => {
  test('a type error, at typecheck (and nothing runs)', async () => {
    const e = await judge(p.edit('src/math.ts', 'return a - b;', "return 'five';"));
    assert.deepEqual(stagesOf(e), ['static:pass', 'typecheck:fail']);
    assert.match(e.reason, /src\/math\.ts:6:\d+ Type 'string' is not assignable to type 'number'/);
    assert.equal(e.fitness, 0);
  });

  test('a rename that breaks an importer, at typecheck', async () => {
    const e = await judge(fixedAnd('export function mul(', 'export function times('));
    assert.deepEqual(stagesOf(e), ['static:pass', 'typecheck:fail']);
    assert.match(e.reason, /src\/stats\.ts:\d+:\d+ .*mul/);
  });

  test('a fix that breaks a test of a direct importer, at direct', async () => {
    const e = await judge(fixedAnd('return a * b;', 'return a * b + 1;'));
    assert.deepEqual(stagesOf(e), ['static:pass', 'typecheck:pass', 'fail-to-pass:pass', 'direct:fail']);
    assert.match(e.reason, /src\/math-table\.test\.ts: 1 tests that pass on the parent fail \("tables > three threes"\): Expected values to be strictly equal:$/);
    assert.deepEqual(e.stages.at(-1)!.failed, [{ file: 'src/math-table.test.ts', name: 'tables > three threes' }]);
    assert.equal(e.fitness, 1, 'the fail-to-pass test was fixed, but the candidate is still refused');
  });

  test('a fix that breaks a test reached through imports, at import-reached', async () => {
    const e = await judge(fixedAnd('return -a;', 'return a;'));
    assert.deepEqual(stagesOf(e), ['static:pass', 'typecheck:pass', 'fail-to-pass:pass', 'direct:pass', 'import-reached:fail']);
    assert.match(e.reason, /src\/stats\.test\.ts: .*"negate negates"/);
  });

  test('a fix that breaks a passing test of the target file, at fail-to-pass', async () => {
    const e = await judge(p.edit('src/math.ts', 'return a - b;', 'return 5;'));
    assert.deepEqual(stagesOf(e).at(-1), 'fail-to-pass:fail');
    assert.match(e.reason, /"add keeps zero"/);
  });

  test('a change that fixes nothing, at fail-to-pass', async () => {
    const e = await judge(p.edit('src/math.ts', 'return a * b;', 'return b * a;'));
    assert.match(e.reason, /rejected at fail-to-pass: run 1 of 3: .*1 fail-to-pass tests still fail \("add adds"\)/);
    assert.equal(e.fitness, 0);
  });
});
