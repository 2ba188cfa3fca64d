// The composition root's contract: dependency order, unmet and undeclared dependencies named, stop in
// reverse, a failing start stops what was made, and a stop during a start stops the part that is starting.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compose, type Plan, type Startable } from './compose.js';

type Log = string[];
type Parts = Record<string, Startable & { name: string }>;

/** A part that records its lifecycle; `fail` makes its start throw, `hold` keeps its start pending. */
function part(log: Log, name: string, needs: string[], o: { fail?: boolean; hold?: Promise<void>; use?: string[] } = {}) {
  return {
    needs,
    create(get: (n: string) => Startable & { name: string }) {
      const seen = (o.use ?? needs).map((n) => get(n).name);
      log.push(`create ${name}${seen.length ? ` (got ${seen.join(', ')})` : ''}`);
      return {
        name,
        async start() {
          log.push(`start ${name}`);
          if (o.hold) await o.hold;
          if (o.fail) throw new Error(`${name} broke`);
        },
        stop() { log.push(`stop ${name}`); },
      };
    },
  };
}
const plan = (defs: Record<string, ReturnType<typeof part>>) => defs as unknown as Plan<Parts>;

describe('compose', () => {
  it('makes and starts parts after what they need, handing them only those, and stops in reverse', async () => {
    const log: Log = [];
    const s = compose(plan({
      api: part(log, 'api', ['journal', 'store']), journal: part(log, 'journal', []), store: part(log, 'store', ['journal']),
    }));
    assert.deepEqual(s.order(), ['journal', 'store', 'api']);
    assert.equal(await s.start(), 'started');
    await s.stop();
    assert.deepEqual(log, [
      'create journal', 'start journal', 'create store (got journal)', 'start store',
      'create api (got journal, store)', 'start api', 'stop api', 'stop store', 'stop journal',
    ]);
  });

  it('names an unmet dependency before anything starts', async () => {
    const log: Log = [];
    const s = compose(plan({ journal: part(log, 'journal', []), api: part(log, 'api', ['jornal']) }));
    const message = 'Cannot start "api": it needs "jornal", which is not a part of this system';
    await assert.rejects(s.start(), { name: 'UnmetDependencyError', message });
    assert.deepEqual(log, []);
  });

  it('names a cycle', async () => {
    const s = compose(plan({ a: part([], 'a', ['b']), b: part([], 'b', ['a']) }));
    assert.throws(() => s.order(), { name: 'DependencyCycleError', message: /a -> b -> a/ });
  });

  it('refuses a part that asks for one it did not declare, and stops what was made', async () => {
    const log: Log = [];
    const s = compose(plan({ journal: part(log, 'journal', []), api: part(log, 'api', [], { use: ['journal'] }) }));
    await assert.rejects(s.start(), (err: Error) => err.name === 'PartStartError' && (err.cause as Error).name === 'UndeclaredPartError'
      && /Part "api" asked for "journal", which it does not declare/.test(err.message));
    assert.deepEqual(log, ['create journal', 'start journal', 'stop journal']);
  });

  it('a failing start stops every part made so far, itself included, in reverse, and names the part', async () => {
    const log: Log = [];
    const told: string[] = [];
    const s = compose(plan({
      journal: part(log, 'journal', []), api: part(log, 'api', ['journal']),
      boot: part(log, 'boot', ['api'], { fail: true }), services: part(log, 'services', ['boot']),
    }), { onStartFailure: (name, err) => told.push(`${name}: ${(err as Error).message}`) });
    await assert.rejects(s.start(), (err: Error & { part?: string }) =>
      err.name === 'PartStartError' && err.part === 'boot' && err.message === 'Cannot start "boot": boot broke'
      && (err.cause as Error).message === 'boot broke');
    assert.deepEqual(told, ['boot: boot broke']);
    assert.deepEqual(log, [
      'create journal', 'start journal', 'create api (got journal)', 'start api', 'create boot (got api)', 'start boot',
      'stop boot', 'stop api', 'stop journal',
    ]);
    assert.equal(s.get('services'), undefined, 'nothing after the failing part is made');
  });

  it('a stop during a start stops the starting part too, starts nothing more, and start() says stopped', async () => {
    const log: Log = [];
    let release!: () => void;
    const hold = new Promise<void>((r) => { release = r; });
    const s = compose(plan({
      journal: part(log, 'journal', []), boot: part(log, 'boot', ['journal'], { hold }), services: part(log, 'services', ['boot']),
    }));
    const started = s.start();
    await new Promise((r) => setImmediate(r));
    const stopping = s.stop();
    assert.equal(s.stop(), stopping, 'one stop for every caller');
    release();
    await stopping;
    assert.equal(await started, 'stopped');
    assert.deepEqual(log, ['create journal', 'start journal', 'create boot (got journal)', 'start boot', 'stop boot', 'stop journal']);
  });

  it('keeps stopping the others when a stop fails, and reports it', async () => {
    const log: Log = [];
    const errs: string[] = [];
    const broken = { needs: [], create: () => ({ name: 'x', start() {}, stop() { throw new Error('stuck'); } }) };
    const s = compose({ journal: part(log, 'journal', []), x: broken, api: part(log, 'api', ['x']) } as unknown as Plan<Parts>,
      { onStopError: (name, err) => errs.push(`${name}: ${(err as Error).message}`) });
    await s.start();
    await s.stop();
    assert.deepEqual(errs, ['x: stuck']);
    assert.deepEqual(log.filter((l) => l.startsWith('stop')), ['stop api', 'stop journal']);
  });
});
