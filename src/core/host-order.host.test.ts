// Host mode, real processes: dependency order at start and at stop, and two instances side by side.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openJournalReader, type JournalEntry } from './journal/index.js';
import { service, startInstance, type Instance } from '../testkit/core/hostkit.js';

const firstIndex = (entries: JournalEntry[], unit: string, state: string): number =>
  entries.findIndex((e) => e.unit === unit && e.fields.event === 'status' && e.fields.state === state);

describe('host mode: dependency order', () => {
  const instances: Instance[] = [];
  after(async () => { for (const i of instances) await i.dispose(); });

  it('starts dependencies first (each waits for the one it requires to be ready) and stops in reverse', async () => {
    const i = await startInstance();
    instances.push(i);
    const ready = (n: string) => ({ kind: 'file', path: join(i.state, `ready-${n}`), timeoutMs: 20_000 });
    // Listed dependents first: the order comes from `requires`, not from the file.
    const r = await i.apply([
      service('c', `touch ${join(i.state, 'ready-c')}; exec sleep 1000`, { requires: ['b'], readiness: ready('c') }),
      service('b', `sleep 0.3; touch ${join(i.state, 'ready-b')}; exec sleep 1000`, { requires: ['a'], readiness: ready('b') }),
      service('a', `sleep 0.3; touch ${join(i.state, 'ready-a')}; exec sleep 1000`, { readiness: ready('a') }),
    ]);
    assert.equal(r.code, 0, r.stderr);
    await i.waitUnit('c', (s) => s.state === 'ready');
    const started = await i.journal('limit=10000');
    const spawned = (u: string) => started.findIndex((e) => e.unit === u && e.fields.event === 'status' && /^started pid/.test(e.message.replace(/^starting: /, '')));
    for (const [dep, user] of [['a', 'b'], ['b', 'c']] as const) {
      assert.ok(firstIndex(started, dep, 'ready') >= 0 && firstIndex(started, dep, 'ready') < spawned(user), `${dep} ready before ${user} is spawned`);
    }
    const st = await i.cli('status');
    assert.equal(st.code, 0, st.stdout + st.stderr);
    assert.match(st.stdout, /^c\s+ready/m);

    const stop = await i.stop();
    assert.equal(stop.code, 0, stop.stderr);
    assert.match(stop.stdout, /stopped/);
    const all = await openJournalReader({ dir: join(i.state, 'journal') }).list();
    const stopAt = all.findIndex((e) => e.message === 'dialogosd stopping: SIGTERM');
    assert.ok(stopAt > 0);
    const tail = all.slice(stopAt);
    const down = (u: string) => tail.findIndex((e) => e.unit === u && e.fields.state === 'inactive');
    assert.ok(down('c') >= 0 && down('c') < down('b') && down('b') < down('a'), `stop order c, b, a: ${tail.map((e) => `${e.unit}:${e.fields.state ?? ''}`).join(' ')}`);
    assert.equal(all.at(-1)?.message, 'dialogosd stopped', 'the journal was closed after the services');
  });

  it('runs two instances side by side without sharing socket, services or cgroups', async () => {
    const [x, y] = [await startInstance(), await startInstance()];
    instances.push(x, y);
    assert.notEqual(x.socket, y.socket);
    for (const i of [x, y]) assert.equal((await i.apply([service('same', 'exec sleep 1000', { limits: { memoryBytes: 64 << 20 } })])).code, 0);
    const [sx, sy] = [await x.waitUnit('same', (s) => s.state === 'running'), await y.waitUnit('same', (s) => s.state === 'running')];
    assert.notEqual(sx.pid, sy.pid);
    const [tx, ty] = [await x.api<{ machine: { instance: string; cgroups: string } }>('GET', '/v1/status'), await y.api<{ machine: { instance: string; cgroups: string } }>('GET', '/v1/status')];
    assert.notEqual(tx.machine.instance, ty.machine.instance);
    assert.notEqual(tx.machine.cgroups, ty.machine.cgroups);
    assert.equal((await x.stop()).code, 0);
    const still = await y.unit('same');
    assert.equal(still.state, 'running');
    assert.equal(still.pid, sy.pid, 'stopping one instance leaves the other\'s service alone');
  });
});
