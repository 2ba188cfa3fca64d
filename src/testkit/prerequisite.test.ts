import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MissingPrerequisiteError, prerequisite, requireHost, strictHost } from './prerequisite.js';

const lenient = { env: {} };
const strict = { env: { DIALOGOS_TEST_STRICT: '1' } };

test('a present prerequisite is no skip, strict or not', () => {
  assert.equal(prerequisite('root', true, 'needs root', lenient), false);
  assert.equal(prerequisite('root', true, 'needs root', strict), false);
});

test('a missing prerequisite is a skip with its reason on a lenient host, and a failure on a strict one', () => {
  assert.equal(prerequisite('root', false, 'needs root', lenient), 'needs root');
  assert.equal(prerequisite('qemu', false, undefined, lenient), 'needs qemu');
  assert.equal(prerequisite('root', false, 'needs root', { env: { DIALOGOS_TEST_STRICT: '0' } }), 'needs root');
  assert.throws(() => prerequisite('root', false, 'needs root', strict), (e: Error) =>
    e instanceof MissingPrerequisiteError && e.name === 'MissingPrerequisiteError' && /prerequisite "root" is missing on a strict host.*: needs root$/.test(e.message));
});

test('what a strict host need not have stays a skip there', () => {
  assert.equal(prerequisite('a GPU', false, 'no GPU here', { ...strict, expected: false }), 'no GPU here');
});

test('DIALOGOS_TEST_PRETEND_MISSING makes a present prerequisite look missing', () => {
  const env = { DIALOGOS_TEST_PRETEND_MISSING: 'busybox, root' };
  assert.equal(prerequisite('root', true, 'needs root', { env }), 'needs root');
  assert.equal(prerequisite('qemu', true, 'needs qemu', { env }), false);
  assert.equal(prerequisite('qemu', true, 'needs qemu', { env: { DIALOGOS_TEST_PRETEND_MISSING: '*' } }), 'needs qemu');
  assert.throws(() => prerequisite('busybox', true, 'x', { env: { ...env, DIALOGOS_TEST_STRICT: '1' } }), { name: 'MissingPrerequisiteError' });
});

test('requireHost skips the test and says so, or lets it run, or throws where strict', () => {
  const skips: (string | undefined)[] = [];
  const t = { skip: (m?: string) => { skips.push(m); } };
  assert.equal(requireHost(t, 'root', true, 'needs root', lenient), false);
  assert.equal(requireHost(t, 'root', false, 'needs root', lenient), true);
  assert.deepEqual(skips, ['needs root']);
  assert.throws(() => requireHost(t, 'root', false, 'needs root', strict), { name: 'MissingPrerequisiteError' });
  assert.deepEqual(skips, ['needs root']);
});

test('strict only for DIALOGOS_TEST_STRICT=1', () => {
  assert.equal(strictHost({ DIALOGOS_TEST_STRICT: '1' }), true);
  for (const v of [undefined, '', '0', 'true']) assert.equal(strictHost({ DIALOGOS_TEST_STRICT: v }), false);
});
