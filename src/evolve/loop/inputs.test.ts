// Bad input to a run: budgets and target specs that mean nothing are refused by name, with the value; the
// parent choice weighs fitness with lineage productivity.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBudget } from './budget.js';
import { chooseParent, productivity } from './parent.js';
import { failingFromRecords, resolveTarget } from './target-spec.js';

test('parseBudget reads evaluations, minutes or both, frozen', () => {
  assert.deepEqual(parseBudget('200'), { evaluations: 200, minutes: null });
  assert.deepEqual(parseBudget('30m'), { evaluations: null, minutes: 30 });
  assert.deepEqual(parseBudget('200,1.5m'), { evaluations: 200, minutes: 1.5 });
  assert.ok(Object.isFrozen(parseBudget('3')));
});

test('parseBudget refuses empty, zero and nonsense budgets by name', () => {
  for (const [spec, msg] of [['', /empty budget/], ['0', /positive whole number, got "0"/], ['0m', /positive number, got "0"/],
    ['-3', /"-3" is neither/], ['abc', /"abc" is neither/], ['5,6', /evaluations given twice/], ['2.5', /whole number/], [',', /"" is neither/]] as const) {
    assert.throws(() => parseBudget(spec), { name: 'InvalidBudgetError', message: msg }, spec);
  }
});

const failing = async (filter?: string) => [
  { file: 'src/a.test.ts', name: 'a > one' }, { file: 'src/a.test.ts', name: 'a > two' }, { file: 'src/b.test.ts', name: 'b' },
].filter((t) => !filter || t.file.includes(filter));

test('resolveTarget reads test:, failing and bench: specs', async () => {
  assert.deepEqual(await resolveTarget('test:src/a.test.ts#a > two', failing), { kind: 'tests', failToPass: [{ file: 'src/a.test.ts', name: 'a > two' }], origin: 'test:src/a.test.ts#a > two' });
  assert.equal((await resolveTarget('test:src/a.test.ts', failing)).kind, 'tests');
  assert.equal(((await resolveTarget('failing', failing)) as { failToPass: unknown[] }).failToPass.length, 3);
  const benchmarks = new Map([['parse-manifest', ['src/gen/manifest.ts']], ['whole-tree', []]]);
  assert.deepEqual(await resolveTarget('bench:parse-manifest', failing, benchmarks),
    { kind: 'benchmark', benchmark: 'parse-manifest', origin: 'bench:parse-manifest', scope: ['src/gen/manifest.ts'] });
  assert.deepEqual(await resolveTarget('bench:whole-tree', failing, benchmarks), { kind: 'benchmark', benchmark: 'whole-tree', origin: 'bench:whole-tree' }, 'no hot files: no scope, all of src/');
});

test('resolveTarget refuses a benchmark it does not know, naming the known ones, and a malformed name', async () => {
  const benchmarks = new Map([['canonical-json', ['src/gen/canonical.ts']], ['mind-tokenize', ['src/mind/tokens.ts']]]);
  await assert.rejects(resolveTarget('bench:boot', failing, benchmarks),
    { name: 'InvalidTargetError', message: 'Cannot use target "bench:boot": no benchmark "boot" is known (known: bench:canonical-json, bench:mind-tokenize)' });
  await assert.rejects(resolveTarget('bench:canonical-json', failing), { message: /no benchmark "canonical-json" is known \(known: none\)/ }, 'no registry: nothing is known');
  for (const spec of ['bench:', 'bench:a/b', 'bench:../x', 'bench:a b']) {
    await assert.rejects(resolveTarget(spec, failing, benchmarks), { name: 'InvalidTargetError', message: /is not a benchmark name/ }, spec);
  }
});

test('resolveTarget refuses unknown specs and targets with nothing to fix', async () => {
  for (const [spec, msg] of [['speed', /Cannot use target "speed": expected test:<file>\[#name\], failing or bench:<name>/],
    ['test:../etc/passwd.test.ts', /not a test file under src\//], ['test:src/a.ts', /not a test file/], ['bench:', /not a benchmark name/],
    ['test:src/a.test.ts#a > three', /test "a > three" of "src\/a.test.ts" does not fail/], ['test:src/c.test.ts', /no test in "src\/c.test.ts" fails/]] as const) {
    await assert.rejects(resolveTarget(spec, failing), { name: 'InvalidTargetError', message: msg }, spec);
  }
  await assert.rejects(resolveTarget('failing', async () => []), { message: /no unit test fails, so there is nothing to fix/ });
});

test('failingFromRecords reads the runner\'s per-test records', () => {
  const json = { schema: 1, kind: 'unit', tests: [{ file: 'src/a.test.ts', name: 'x', status: 'fail' }, { file: 'src/a.test.ts', name: 'y', status: 'pass' }, { name: 'broken' }] };
  assert.deepEqual(failingFromRecords(json), [{ file: 'src/a.test.ts', name: 'x' }]);
  assert.throws(() => failingFromRecords({}), { name: 'InvalidTargetError' });
});

const e = (id: string, parent: string, decision: 'accepted' | 'rejected', fitness: number) => ({ t: 'candidate' as const, id, run: 'r-1', parent, decision, fitness, at: '' });

test('chooseParent takes the base tree until something is accepted, then weighs fitness with productivity', () => {
  assert.equal(chooseParent([e('c-1', 'tree', 'rejected', 0)]), null);
  const barren = [e('c-a', 'tree', 'accepted', 1), e('c-b', 'tree', 'accepted', 1), ...[1, 2, 3, 4].map((i) => e(`c-a${i}`, 'c-a', 'rejected', 0))];
  assert.equal(productivity('c-a', barren), 1 / 6);
  assert.equal(chooseParent(barren), 'c-b', 'equal fitness: the lineage that has not failed four times');
  assert.equal(chooseParent([...barren, e('c-c', 'tree', 'accepted', 3)]), 'c-c', 'fitness first');
  assert.equal(chooseParent([e('c-n', 'tree', 'accepted', Number.NaN)]), null, 'a NaN fitness never wins');
});
