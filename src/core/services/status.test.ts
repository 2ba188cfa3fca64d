import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StatusBoard, type UnitStatus } from './status.js';

const st = (name: string, state: UnitStatus['state']): UnitStatus => ({
  kind: 'service', name, state, reason: `r ${state}`, enabled: true, pid: null, since: 'x', restarts: 0, lastExit: null, limits: null,
});

describe('status board', () => {
  it('streams every change to watchers until aborted, and survives a throwing subscriber', async () => {
    const b = new StatusBoard();
    b.subscribe(() => { throw new Error('closed stream'); });
    const ac = new AbortController();
    const seen: string[] = [];
    const done = (async () => {
      for await (const s of b.watch(ac.signal)) {
        seen.push(`${s.name} ${s.state}`);
        if (seen.length === 3) ac.abort();
      }
    })();
    b.set(st('a', 'starting'));
    b.set(st('a', 'ready'));
    await Promise.resolve();
    b.set(st('b', 'failed'));
    await done;
    assert.deepEqual(seen, ['a starting', 'a ready', 'b failed']);
    assert.deepEqual(b.list().map((s) => s.name), ['a', 'b']);
    assert.throws(() => { (b.get('service', 'a') as { state: string }).state = 'x'; }, TypeError, 'published status is frozen');
  });
});
