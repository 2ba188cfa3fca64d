// Power cut at every write step of each store operation: after each cut the surviving store must
// load, fsck must report only what the boot policy copes with, the policy must still find a
// verified good generation, the state must be exactly the old or the new one, and retrying the
// operation must succeed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SimulatedCrashError } from './errors.js';
import { withCrashAt } from './fs-crash.js';
import type { MemoryFileSystem } from './fs-memory.js';
import type { FileSystem } from './fs.js';
import { fsck } from './fsck.js';
import { gc, protectedIds } from './gc.js';
import { selectGeneration } from './policy.js';
import { Store } from './store.js';
import { writeGeneration } from './build.js';
import { makeStore, ROOT, specFor, testOwner, writeTree, type TestStore } from '../testkit/gen/test-store.js';
import type { StoreState } from './types.js';
import { verifyGeneration } from './verify.js';

const FIXED = '2026-02-02T00:00:00.000Z';
const storeOn = (fs: FileSystem): Store => new Store(fs, ROOT, { owner: testOwner, now: () => FIXED });
const HARMLESS = new Set(['orphan-staging', 'orphan-dir']);

type Op = (fs: FileSystem, t: TestStore) => Promise<unknown>;

async function bootOn(fs: FileSystem, t: TestStore): Promise<Awaited<ReturnType<typeof selectGeneration>>> {
  const { state } = await storeOn(fs).readState();
  return selectGeneration(state, { verify: (id) => verifyGeneration(fs, ROOT, id, t.trust).then(() => null, (e: Error) => e) });
}

/** Runs `op` with a crash at k = 1, 2, ... until it completes; checks the invariants after each crash. */
async function crashEverywhere(t: TestStore, op: Op, extra?: (fs: MemoryFileSystem, before: StoreState) => Promise<void>): Promise<number> {
  const base = t.fs;
  const before = (await storeOn(base).readState()).state;
  const finalFs = base.clone();
  await op(finalFs, t);
  const after = (await storeOn(finalFs).readState()).state;
  assert.notDeepEqual(after, before, 'the operation changes nothing: the test would prove nothing');
  for (let k = 1; k < 10_000; k++) {
    const fs = base.clone();
    const crashing = withCrashAt(fs, k, { loseUnsynced: true });
    try {
      await op(crashing, t);
      assert.equal(crashing.crashed, false);
      return k - 1; // completed: k-1 crash points were tested
    } catch (err) {
      if (!(err instanceof SimulatedCrashError)) throw err;
    }
    const where = `crash at step ${k}`;
    const loaded = await storeOn(fs).readState();
    assert.equal(loaded.problem, null, `${where}: ${loaded.problem?.message}`);
    assert.ok([JSON.stringify(before), JSON.stringify(after)].includes(JSON.stringify(loaded.state)), `${where}: state is neither old nor new`);
    const problems = await fsck(storeOn(fs), t.trust);
    for (const p of problems) assert.ok(HARMLESS.has(p.kind), `${where}: ${p.kind} ${p.message}`);
    const d = await bootOn(fs, t);
    assert.notEqual(loaded.state.generations[d.id]?.status, 'bad', where);
    await verifyGeneration(fs, ROOT, d.id, t.trust);
    if (extra) await extra(fs, before);
    // The owner's retry, after the store's own repair, completes and leaves a clean store.
    await fsck(storeOn(fs), t.trust, { repair: true });
    await op(fs, t);
    assert.deepEqual(await fsck(storeOn(fs), t.trust), [], where);
  }
  assert.fail('the operation never completed');
}

async function twoGenerations(): Promise<{ t: TestStore; a: string; b: string }> {
  const t = await makeStore();
  const a = await t.add(1);
  await t.store.bless(a);
  await t.store.switchTo(a);
  const b = await t.add(2, { rollbackFloor: 2 });
  return { t, a, b };
}

describe('crash at every step', () => {
  it('stage', async () => {
    const { t, b } = await twoGenerations();
    const steps = await crashEverywhere(t, (fs) => storeOn(fs).stage(b, 3));
    assert.ok(steps >= 8, `only ${steps} steps`);
  });
  it('recordTry', async () => {
    const { t, b } = await twoGenerations();
    await t.store.stage(b, 2);
    await crashEverywhere(t, async (fs) => storeOn(fs).recordTry(await bootOn(fs, t)));
  });
  it('recordTry that marks an exhausted generation bad', async () => {
    const { t, b } = await twoGenerations();
    await t.store.stage(b, 1);
    await t.store.recordTry(await bootOn(t.fs, t));
    await crashEverywhere(t, async (fs) => storeOn(fs).recordTry(await bootOn(fs, t)));
  });
  it('bless (raises the floor)', async () => {
    const { t, b } = await twoGenerations();
    await t.store.stage(b, 2);
    await t.store.recordTry(await bootOn(t.fs, t));
    await crashEverywhere(t, (fs) => storeOn(fs).bless(b, FIXED));
  });
  it('addGeneration', async () => {
    const { t } = await twoGenerations();
    await writeTree(t.fs, '/src/new', { 'main.mjs': 'new', 'a/b/c.txt': 'deep', 'x.sh': '#!' });
    const steps = await crashEverywhere(t, (fs) => writeGeneration(fs, ROOT, { ...specFor(3), treeDir: '/src/new' }, t.key, { owner: testOwner, now: () => FIXED }));
    assert.ok(steps >= 20, `only ${steps} steps`);
  });
  it('gc never deletes a protected generation', async () => {
    const t = await makeStore();
    const ids: string[] = [];
    for (let v = 1; v <= 6; v++) {
      ids.push(await t.add(v));
      await t.store.bless(ids[v - 1]);
    }
    await t.store.setRecovery(ids[0]!);
    await t.store.pin(ids[1]!);
    await t.store.switchTo(ids[2]!);
    await t.store.recordTry(await bootOn(t.fs, t));
    await t.store.markBad(ids[5]!, 'broken');
    await t.fs.mkdir(`${ROOT}/store/staging/add-left-over/tree`);
    await crashEverywhere(t, (fs) => gc(storeOn(fs), { keep: 0 }), async (fs, before) => {
      for (const id of protectedIds(before)) await verifyGeneration(fs, ROOT, id, t.trust);
    });
  });
});
