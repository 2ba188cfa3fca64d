// The sandbox's checks that need no root: paths that could escape the tree, environment words, and the
// bound on captured output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { capture } from './output.js';
import { checkPath, envWords } from './tree.js';

test('checkPath refuses absolute, parent, empty and backslash paths and accepts plain relative ones', () => {
  for (const bad of ['', '/etc/passwd', '../x', 'a/../../x', 'a//b', './a', 'a\\b', 'a/\0']) {
    assert.throws(() => checkPath(bad, 'the changed file'), { name: 'SandboxRequestError', message: /is not a plain relative path inside the tree/ }, bad);
  }
  for (const ok of ['a', 'src/x/y.ts', '.github/w.yml', 'a..b']) checkPath(ok, 'the changed file');
});

test('envWords passes names and values as K=V and refuses names env would misread', () => {
  assert.deepEqual(envWords({ PATH: '/bin', X_1: 'a=b c' }), ['PATH=/bin', 'X_1=a=b c']);
  for (const k of ['A=B', '1A', '', 'A B']) assert.throws(() => envWords({ [k]: 'x' }), { name: 'SandboxRequestError' }, k);
  assert.throws(() => envWords({ A: 'x\0y' }), { name: 'SandboxRequestError' });
});

test('capture keeps at most the limit and marks what it dropped', async () => {
  const s = new PassThrough();
  const c = capture(s, 10);
  s.write('0123456');
  s.write('789abc');
  s.end('def');
  await new Promise((r) => s.on('end', r).resume());
  assert.equal(c.text(), '0123456789\n[sandbox: output truncated after 10 bytes, 6 more dropped]\n');
  const small = new PassThrough();
  const d = capture(small, 10);
  small.end('hi');
  await new Promise((r) => small.on('end', r).resume());
  assert.equal(d.text(), 'hi');
});
