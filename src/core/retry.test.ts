import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../testkit/core/fakes.js';
import { whileLocked } from './retry.js';
import { StoreLockedError } from '../gen/index.js';

test('waits out a held store lock, then succeeds', async () => {
  const clock = new FakeClock();
  let n = 0;
  const r = await whileLocked(() => { if (++n < 4) throw new StoreLockedError('held'); return 'done'; }, clock);
  assert.equal(r, 'done');
  assert.equal(n, 4);
});

test('gives up after the wait, and never retries other errors', async () => {
  const clock = new FakeClock();
  const start = clock.now();
  await assert.rejects(whileLocked(() => { throw new StoreLockedError('held'); }, clock, 1000), { name: 'StoreLockedError' });
  assert.ok(clock.now() - start >= 1000);
  let n = 0;
  await assert.rejects(whileLocked(() => { n++; throw new TypeError('x'); }, clock), { name: 'TypeError' });
  assert.equal(n, 1);
});
