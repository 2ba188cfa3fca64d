import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fakeRecord, fakeState } from '../testkit/boot/fake-store.js';
import { menuEntries, runMenu } from './menu.js';
import { FakePlatform } from '../testkit/boot/platform-fake.js';

const state = fakeState({
  'g1-aaa': fakeRecord({ version: 1, recovery: true, pinned: true }),
  'g5-eee': fakeRecord({ version: 5, status: 'staged', triesLeft: 2 }),
  'g4-ddd': fakeRecord({ version: 4, status: 'bad' }),
}, { default: 'g4-ddd', oneShot: 'g5-eee', lastGood: 'g1-aaa' });

test('lists newest first with status, version, tries and marks', () => {
  assert.deepEqual(menuEntries(state).map((e) => e.line), [
    '  1) g5-eee  staged  v5  tries left 2  [next]',
    '  2) g4-ddd  bad  v4  [default]',
    '  3) g1-aaa  good  v1  [last-good, pinned, recovery]',
  ]);
});

test('other keys are ignored; a digit picks within the timeout', async () => {
  const p = new FakePlatform();
  p.keys.push({ afterMs: 100, key: 'x' }, { afterMs: 100, key: '9' }, { afterMs: 100, key: '3' });
  assert.equal(await runMenu(p, state, 1000), 'g1-aaa');
  assert.equal(p.now(), 300);
});

test('Enter boots the default at once; silence waits out the timeout', async () => {
  const p = new FakePlatform();
  p.keys.push({ afterMs: 50, key: '\n' });
  assert.equal(await runMenu(p, state, 1000), null);
  assert.equal(p.now(), 50);
  const q = new FakePlatform();
  q.keys.push({ afterMs: 1500, key: '1' });
  assert.equal(await runMenu(q, state, 1000), null);
  assert.equal(q.now(), 1000);
});

test('the console is released after the menu; without a terminal the default boots at once', async () => {
  const p = new FakePlatform();
  p.keys.push({ afterMs: 10, key: '1' });
  assert.equal(await runMenu(p, state, 1000), 'g5-eee');
  assert.equal(p.keysOpen, false);
  const q = new FakePlatform();
  q.terminal = false;
  assert.equal(await runMenu(q, state, 1000), null);
  assert.equal(q.now(), 0);
  assert.ok(q.lines[0]?.includes('no console keyboard'));
});
