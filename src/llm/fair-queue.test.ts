// The admission queue: slots, round-robin across clients, a bound that answers 429, cancellation.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { FairQueue } from './fair-queue.js';

describe('FairQueue', () => {
  it('serves waiting clients round-robin, not first-come', async () => {
    const q = new FairQueue(1, 100, 'm');
    const hold = await q.acquire('a');
    const order: string[] = [];
    const reqs = ['a', 'a', 'a', 'b', 'c', 'b'].map((c, i) => q.acquire(c).then((release) => { order.push(`${c}${i}`); release(); }));
    hold();
    await Promise.all(reqs);
    assert.deepEqual(order, ['a0', 'b3', 'c4', 'a1', 'b5', 'a2']);
  });

  it('answers QueueFullError with a Retry-After once maxWaiting wait', async () => {
    const q = new FairQueue(2, 2, 'model "m"');
    const r1 = await q.acquire('a');
    await q.acquire('a');
    const w1 = q.acquire('b');
    const w2 = q.acquire('c');
    await assert.rejects(q.acquire('d'), (e: Error & { retryAfterSeconds: number }) =>
      e.name === 'QueueFullError' && e.retryAfterSeconds >= 1 && /queue of model "m" is full \(2 waiting, 2 running\)/.test(e.message));
    r1();
    await w1;
    assert.deepEqual(q.stats, { active: 2, waiting: 1, slots: 2 });
    void w2;
  });

  it('drops a waiter whose signal aborts, and never grants it', async () => {
    const q = new FairQueue(1, 10, 'm');
    const hold = await q.acquire('a');
    const ac = new AbortController();
    const cancelled = q.acquire('b', ac.signal);
    const next = q.acquire('c');
    ac.abort();
    await assert.rejects(cancelled, { name: 'CancelledError' });
    hold();
    (await next)();
    assert.ok(q.idle);
  });

  it('keeps active ≤ slots and loses no request, for any interleaving', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.boolean()), { maxLength: 40 }), async (slots, reqs) => {
      const q = new FairQueue(slots, 1000, 'm');
      let active = 0;
      let max = 0;
      let done = 0;
      const acs: AbortController[] = [];
      const all = reqs.map(([client, cancel]) => {
        const ac = new AbortController();
        if (cancel) acs.push(ac);
        return q.acquire(client, ac.signal).then(async (release) => {
          active++;
          max = Math.max(max, active);
          await new Promise((r) => setImmediate(r));
          active--;
          release();
          done++;
        }, () => { done++; });
      });
      for (const ac of acs) ac.abort();
      await Promise.all(all);
      assert.ok(max <= slots);
      assert.equal(done, reqs.length);
      assert.ok(q.idle);
    }), { numRuns: 100 });
  });
});
