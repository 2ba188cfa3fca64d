// Red team for the evaluator's honesty rules: candidates that pass the static gates (they keep the parent's
// count of `process` uses, so counting cannot see them) but cheat at run time must be rejected by the rule
// meant for them: the canary, the parent's test names, the reruns of a fail-to-pass win.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as ts from 'typescript';
import { makeCandidate, type FileChange, type RunRequest, type Runner, type Target } from '../index.js';
import { makeProject, type Project } from '../../testkit/evolve/evaluate/project.js';
import { createEvaluator, createLocalRunner, type Evaluator } from './index.js';

let p: Project;
let ev: Evaluator;
const target: Target = { kind: 'tests', failToPass: [{ file: 'src/math.test.ts', name: 'add adds' }], origin: 'seeded: add subtracts' };
const VERBOSE = "const verbose = process.env.MATH_VERBOSE === '1' || process.env.DEBUG === 'math';";
/** The fix of add, with the line that reads `process` (twice) replaced by `instead`. */
const cheat = (instead: string): FileChange => {
  const c = p.edit('src/math.ts', 'return a - b;', 'return a + b;');
  return { ...c, after: c.after!.replace(VERBOSE, instead) };
};
const FORGED_RECORDS = JSON.stringify({ schema: 1, tests: [
  { file: 'src/math.test.ts', path: ['add adds'], name: 'add adds', status: 'pass', durationMs: 1, skipReason: null, failure: null },
  { file: 'src/math.test.ts', path: ['add keeps zero'], name: 'add keeps zero', status: 'pass', durationMs: 1, skipReason: null, failure: null },
] });
const FORGED_TAP = 'TAP version 13\\nok 1 - add adds\\nok 2 - add keeps zero\\n1..2\\n# pass 2\\n# fail 0\\n';

before(() => {
  p = makeProject();
  ev = createEvaluator({ root: p.root, runner: createLocalRunner(), ts });
});
after(() => p.cleanup());

const judge = (...changes: FileChange[]) => ev.evaluate(makeCandidate(changes), target);
const rejectedAt = (e: { accepted: boolean; stages: Array<{ stage: string; pass: boolean }> }) => (e.accepted ? 'accepted' : e.stages.find((s) => !s.pass)!.stage);

describe('caught at run time', () => {
  test('process.exit(0) at import: the canary is never reported', async () => {
    const e = await judge(cheat('const verbose = false;\nprocess.exit(0);'));
    assert.equal(e.stages[0]!.pass, true, 'the static gates cannot see it: the count of process uses did not rise');
    assert.equal(rejectedAt(e), 'fail-to-pass');
    assert.match(e.reason, /the canary test "canary [0-9a-f]{24}" was reported 0 times, not once.*2 of the parent's tests vanished/);
  });

  test('a forged all-pass report on stdout, then exit: the records come only from the reporter', async () => {
    const forge = `const verbose = false;\nprocess.stdout.write(${JSON.stringify(FORGED_RECORDS)} + '${FORGED_TAP}');\nprocess.exit(0);`;
    const e = await judge(cheat(forge));
    assert.equal(e.stages[0]!.pass, true);
    assert.equal(rejectedAt(e), 'fail-to-pass');
    assert.match(e.reason, /canary/);
  });

  test('throwing at import makes the tests vanish: their names differ from the parent\'s', async () => {
    const e = await judge(cheat("const verbose = false;\nif (!verbose) throw new Error('no tests today');"));
    assert.equal(rejectedAt(e), 'fail-to-pass');
    assert.match(e.reason, /2 of the parent's tests vanished \("add adds", "add keeps zero"\)/);
  });

  test('a candidate that hangs at import is stopped by the wall limit and refused', async () => {
    const slow = createEvaluator({ root: p.root, runner: createLocalRunner(), ts, limits: { wallMs: 15_000 } });
    const e = await slow.evaluate(makeCandidate([cheat('const verbose = false;\nfor (;;) { if (verbose) break; }')]), target);
    assert.equal(rejectedAt(e), 'fail-to-pass');
    assert.match(e.reason, /run 1 of 3: src\/math\.test\.ts: the run was stopped by its wall limit after \d+ ms/);
  });

  test('a win that does not hold on a rerun (the runner serves the parent\'s add on the second run)', async () => {
    let candidateRuns = 0;
    const local = createLocalRunner();
    const flaky: Runner = {
      run(req: RunRequest) {
        const isCandidate = req.tree.changes.some((c) => c.path === 'dist/math.js');
        if (isCandidate && ++candidateRuns === 2) return local.run({ ...req, tree: { ...req.tree, changes: req.tree.changes.filter((c) => !c.path.startsWith('dist/math.js')) } });
        return local.run(req);
      },
    };
    const e = await createEvaluator({ root: p.root, runner: flaky, ts }).evaluate(makeCandidate([p.edit('src/math.ts', 'return a - b;', 'return a + b;')]), target);
    assert.equal(rejectedAt(e), 'fail-to-pass');
    assert.match(e.reason, /run 2 of 3: .*fail-to-pass tests still fail \("add adds"\)/);
  });

  test('a flaky fix with Math.random is rejected (twelve runs: it slips through with odds 2^-12)', async () => {
    const flaky = createEvaluator({ root: p.root, runner: createLocalRunner(), ts, failToPassRuns: 12 });
    const e = await flaky.evaluate(makeCandidate([p.edit('src/math.ts', 'return a - b;', 'return Math.random() < 0.5 ? a + b : a - b;')]), target);
    assert.equal(e.stages[0]!.pass, true, 'Math.random is not a capability the gates refuse');
    assert.equal(rejectedAt(e), 'fail-to-pass');
    assert.equal(e.fitness, 0, 'a win that does not hold in every run counts for nothing');
  });
});

describe('caught before anything runs', () => {
  test('deleting, skipping or editing the failing test: the static gates', async () => {
    const test_ = p.read('src/math.test.ts');
    for (const c of [
      { path: 'src/math.test.ts', before: test_, after: null },
      { path: 'src/math.test.ts', before: test_, after: test_.replace("test('add adds'", "test.skip('add adds'") },
      { path: 'src/math.test.ts', before: test_, after: test_.replace('assert.equal(add(2, 3), 5)', 'assert.ok(true)') },
    ]) {
      const e = await judge(c);
      assert.deepEqual(e.stages.map((s) => s.stage), ['static']);
      assert.ok(e.stages[0]!.violations!.some((v) => v.rule === 'edits-tests'), e.reason);
    }
  });
});

describe('targets', () => {
  test('an unknown fail-to-pass test, one that passes on the parent, a benchmark and no test at all are errors', async () => {
    const c = makeCandidate([p.edit('src/math.ts', 'return a - b;', 'return a + b;')]);
    const failToPass = [{ file: 'src/math.test.ts', name: 'add multiplies' }];
    await assert.rejects(ev.evaluate(c, { ...target, failToPass }), { name: 'UnknownTargetTestError', message: /"add multiplies" of "src\/math\.test\.ts"/ });
    await assert.rejects(ev.evaluate(c, { ...target, failToPass: [{ file: 'src/math.test.ts', name: 'add keeps zero' }] }), { name: 'TargetNotFailingError' });
    await assert.rejects(ev.evaluate(c, { kind: 'benchmark', benchmark: 'x', origin: 'test' }), { name: 'UnsupportedTargetError' });
    await assert.rejects(ev.evaluate(c, { ...target, failToPass: [] }), { name: 'UnsupportedTargetError', message: /names no fail-to-pass test/ });
  });

  test('a parent whose own test file exits early cannot judge anything', async () => {
    const bad = makeProject({ 'src/exit.test.ts': "import { test } from 'node:test';\ntest('never runs', () => {});\nprocess.exit(0);\n" });
    try {
      const e = createEvaluator({ root: bad.root, runner: createLocalRunner(), ts });
      await assert.rejects(e.evaluate(makeCandidate([bad.edit('src/math.ts', 'return a - b;', 'return a + b;')]), { ...target, failToPass: [{ file: 'src/exit.test.ts', name: 'never runs' }] }),
        { name: 'ParentBaselineError', message: /"src\/exit\.test\.ts" is not trustworthy: the canary/ });
    } finally {
      bad.cleanup();
    }
  });

  test('the parent\'s runs are cached per file: a second candidate runs only itself', async () => {
    const seen: RunRequest[] = [];
    const local = createLocalRunner();
    const counting: Runner = { run: (req) => { seen.push(req); return local.run(req); } };
    const e = createEvaluator({ root: p.root, runner: counting, ts });
    const parentRuns = () => seen.filter((r) => r.tree.changes.length === 1).length;
    await e.evaluate(makeCandidate([p.edit('src/math.ts', 'return a - b;', 'return a + b;')]), target);
    assert.equal(parentRuns(), 3, 'math.test, math-table.test and stats.test once each on the parent');
    await e.evaluate(makeCandidate([p.edit('src/math.ts', 'return a - b;', 'return b + a;')]), target);
    assert.equal(parentRuns(), 3, 'no parent run for the second candidate');
    assert.equal(seen.length - parentRuns(), 10, 'each candidate: fail-to-pass three times, direct and import-reached once');
  });
});
