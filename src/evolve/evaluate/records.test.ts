// The records reader refuses anything malformed or duplicated; the canary and name checks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRecords } from './index.js';
import { checkCanary, nameDiff, type TestRecord } from './records.js';

const rec = (name: string, status = 'pass', extra: Record<string, unknown> = {}) =>
  ({ file: 'src/a.test.ts', path: name.split(' > '), name, status, durationMs: 1, skipReason: null, failure: null, ...extra });
const doc = (tests: unknown[]) => JSON.stringify({ schema: 1, kind: 'unit', tests });

test('well-formed records are read', () => {
  const r = parseRecords(doc([rec('a > b'), rec('c', 'fail', { failure: 'boom' })]), 'x.json');
  assert.deepEqual(r.map((x) => [x.name, x.status, x.failure]), [['a > b', 'pass', null], ['c', 'fail', 'boom']]);
});

test('malformed or duplicated records are refused, each with its reason', () => {
  const cases: Array<[string, RegExp]> = [
    ['not json', /Cannot parse the test records "x\.json"/],
    [JSON.stringify({ schema: 2, tests: [] }), /expected \{"schema": 1/],
    [JSON.stringify({ schema: 1 }), /expected/],
    [doc([rec('a', 'passed')]), /"status" "passed"/],
    [doc([{ ...rec('a'), name: 'b' }]), /not its path joined/],
    [doc([{ ...rec('a'), file: '' }]), /"file"/],
    [doc([{ ...rec('a'), failure: 3 }]), /"failure"/],
    [doc([null]), /not an object/],
    [doc([rec('a'), rec('a', 'fail')]), /test "a" of "src\/a\.test\.ts" is reported twice/],
  ];
  for (const [text, why] of cases) assert.throws(() => parseRecords(text, 'x.json'), { name: 'TestRecordsError', message: why }, text);
});

test('the canary must be reported once, and failed', () => {
  const ok = parseRecords(doc([rec('a'), rec('canary n1', 'fail', { failure: 'canary n1' })]), 'x');
  assert.deepEqual(checkCanary(ok, 'n1'), { tests: [ok[0]], problem: null });
  assert.match(checkCanary([ok[0]!], 'n1').problem!, /reported 0 times/);
  assert.match(checkCanary([rec('canary n1', 'pass')] as TestRecord[], 'n1').problem!, /must fail; it was reported pass/);
  assert.match(checkCanary([rec('canary n1', 'skip')] as TestRecord[], 'n1').problem!, /must fail; it was reported skip/);
  assert.match(checkCanary([ok[1]!, ok[1]!], 'n1').problem!, /reported 2 times/);
  assert.equal(checkCanary([rec('canary n1', 'fail', { failure: 'an error an earlier test leaked' })] as TestRecord[], 'n1').problem, null);
});

test('nameDiff finds vanished and new tests', () => {
  const d = nameDiff([rec('a'), rec('b')] as TestRecord[], [rec('b'), rec('c')] as TestRecord[]);
  assert.deepEqual([d.missing.map((r) => r.name), d.extra.map((r) => r.name)], [['a'], ['c']]);
});

test('nameDiff: a suite whose hook failed on the parent and runs its tests on the candidate is the same tests', () => {
  const parent = [rec('gen', 'fail'), rec('other')] as TestRecord[];
  const mended = [rec('gen > lists'), rec('gen > builds'), rec('other')] as TestRecord[];
  assert.deepEqual(nameDiff(parent, mended), { missing: [], extra: [] });
  // The other way round is a difference: the candidate broke the hook, and the tests vanished.
  const broken = nameDiff(mended, parent);
  assert.deepEqual([broken.missing.map((r) => r.name), broken.extra.map((r) => r.name)], [['gen > lists', 'gen > builds'], ['gen']]);
  // A passing parent record is never a suite: its vanishing counts.
  assert.deepEqual(nameDiff([rec('gen'), rec('other')] as TestRecord[], mended).missing.map((r) => r.name), ['gen']);
});
