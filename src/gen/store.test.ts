import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { storeLayout } from './layout.js';
import { Store } from './store.js';
import { gc } from './gc.js';
import { fsck } from './fsck.js';
import { chooseGeneration } from './choose.js';
import { verifyGeneration } from './verify.js';
import { makeStore, ROOT, testNow, testOwner, type TestStore } from '../testkit/gen/test-store.js';

const L = storeLayout(ROOT);
const state = async (t: TestStore) => (await t.store.readState()).state;
const boot = async (t: TestStore) => {
  const { decision, generation } = await chooseGeneration(t.store, t.trust, {});
  assert.equal(generation.id, decision.id);
  return decision;
};

describe('Store lifecycle', () => {
  it('starts empty, adds as staged without tries, stages, boots, blesses', async () => {
    const t = await makeStore();
    assert.deepEqual(Object.keys((await state(t)).generations), []);
    const a = await t.add(1, { rollbackFloor: 1 });
    assert.deepEqual((await state(t)).generations[a]?.status, 'staged');
    assert.equal((await state(t)).generations[a]?.triesLeft, 0);
    await assert.rejects(t.store.switchTo(a), { name: 'InvalidOperationError' });
    await t.store.stage(a, 2);
    const d = await boot(t);
    assert.equal(d.id, a);
    assert.equal(d.attempt, 1);
    let s = await state(t);
    assert.equal(s.generations[a]?.triesLeft, 1);
    assert.equal(s.trial?.id, a);
    await t.store.bless();
    s = await state(t);
    assert.equal(s.generations[a]?.status, 'good');
    assert.equal(s.lastGood, a);
    assert.equal(s.floor, 1);
    assert.equal(s.trial, null);
  });
  it('falls back after the tries run out and marks the generation bad', async () => {
    const t = await makeStore();
    const a = await t.add(1);
    await t.store.bless(a);
    const b = await t.add(2);
    await t.store.stage(b, 2);
    assert.equal((await boot(t)).id, b);
    assert.equal((await boot(t)).id, b);
    const d = await boot(t);
    assert.equal(d.id, a);
    assert.deepEqual(d.markBad, [{ id: b, reason: 'tries exhausted' }]);
    const s = await state(t);
    assert.equal(s.generations[b]?.status, 'bad');
    assert.equal(s.default, a);
    assert.equal(s.booted?.fallbackFrom, b);
  });
  it('refunds a try after a clean reboot inside the health window', async () => {
    const t = await makeStore();
    const a = await t.add(1);
    await t.store.stage(a, 1);
    await boot(t);
    assert.equal(await t.store.refundTry(a), true);
    assert.equal((await state(t)).generations[a]?.triesLeft, 1);
    assert.equal(await t.store.refundTry(a), false);
  });
  it('switches once, then goes back to the default', async () => {
    const t = await makeStore();
    const a = await t.add(1);
    const b = await t.add(2);
    await t.store.bless(a);
    await t.store.bless(b);
    await t.store.switchTo(a);
    await t.store.switchTo(b, { once: true });
    assert.equal((await boot(t)).reason, 'oneshot');
    const d = await boot(t);
    assert.deepEqual([d.id, d.reason], [a, 'default']);
  });
  it('refuses switching to a bad or below-floor generation', async () => {
    const t = await makeStore();
    const a = await t.add(1);
    const b = await t.add(2, { rollbackFloor: 2 });
    await t.store.bless(a);
    await t.store.bless(b);
    await assert.rejects(t.store.switchTo(a), { name: 'BelowFloorError' });
    await t.store.markBad(b, 'health check "http" failed');
    await assert.rejects(t.store.switchTo(b), { name: 'GenerationBadError', message: /http/ });
  });
  it('rolls back to the previous good generation other than the booted one', async () => {
    const t = await makeStore();
    const a = await t.add(1);
    const b = await t.add(2);
    await t.store.bless(a);
    await t.store.stage(b, 1);
    await boot(t);
    await t.store.bless(b);
    assert.equal(await t.store.rollback(), a);
    assert.equal((await state(t)).default, a);
    const lone = await makeStore();
    const only = await lone.add(1);
    await lone.store.bless(only);
    await lone.store.stage(only, 1);
    await boot(lone);
    await assert.rejects(lone.store.rollback(), { name: 'NoRollbackTargetError' });
  });
  it('pins, refuses to unpin the recovery generation, and keeps one recovery', async () => {
    const t = await makeStore();
    const a = await t.add(1);
    const b = await t.add(2);
    await assert.rejects(t.store.setRecovery(a), { name: 'InvalidOperationError' });
    await t.store.bless(a);
    await t.store.bless(b);
    await t.store.setRecovery(a);
    await assert.rejects(t.store.unpin(a), { name: 'InvalidOperationError' });
    await t.store.setRecovery(b);
    const s = await state(t);
    assert.deepEqual([s.generations[a]?.recovery, s.generations[a]?.pinned, s.generations[b]?.recovery], [false, true, true]);
    await t.store.unpin(a);
    assert.equal((await state(t)).generations[a]?.pinned, false);
  });
  it('names missing generations', async () => {
    const t = await makeStore();
    await assert.rejects(t.store.stage('g9-000000000000'), { name: 'GenerationMissingError', message: /"g9-000000000000"/ });
    await assert.rejects(t.store.bless(), { name: 'InvalidOperationError' });
  });
  it('keeps the history to 50 boots', async () => {
    const t = await makeStore();
    const a = await t.add(1);
    await t.store.bless(a);
    for (let i = 0; i < 55; i++) await boot(t);
    assert.equal((await state(t)).history.length, 50);
  });
});

describe('chooseGeneration', () => {
  it('boots on the .bak when state.json is corrupt and reports the problem', async () => {
    const t = await makeStore();
    const a = await t.add(1);
    await t.store.bless(a);
    await t.store.bless(a);
    await t.fs.writeFile(L.state, '\u0000garbage');
    const c = await chooseGeneration(t.store, t.trust, {});
    assert.equal(c.decision.id, a);
    assert.equal(c.stateProblem?.name, 'StateCorruptError');
    assert.equal((await t.store.readState()).problem, null, 'recording the try rewrote a good state');
  });
  it('after a kexec records nothing new for the forced generation', async () => {
    const t = await makeStore();
    const a = await t.add(1);
    await t.store.stage(a, 1);
    await boot(t);
    const before = await state(t);
    const c = await chooseGeneration(t.store, t.trust, { forcedId: a });
    assert.deepEqual([c.decision.id, c.decision.reason], [a, 'kexec']);
    assert.deepEqual(await state(t), before);
  });
});

describe('Store state file', () => {
  it('falls back to state.json.bak when state.json is corrupt, and says so', async () => {
    const t = await makeStore();
    const a = await t.add(1);
    await t.store.bless(a);
    await t.store.pin(a);
    await t.fs.writeFile(L.state, '{"schema":1,');
    const loaded = await t.store.readState();
    assert.equal(loaded.source, 'backup');
    assert.equal(loaded.problem?.name, 'StateCorruptError');
    assert.equal(loaded.state.generations[a]?.status, 'good');
  });
  it('rebuilds from the generation directories when both files are corrupt', async () => {
    const t = await makeStore();
    const a = await t.add(1);
    const b = await t.add(2);
    await t.fs.writeFile(L.state, 'garbage');
    await t.fs.writeFile(L.stateBak, 'garbage');
    const loaded = await t.store.readState();
    assert.equal(loaded.source, 'rebuilt');
    assert.deepEqual(Object.keys(loaded.state.generations).sort(), [a, b].sort());
    assert.equal(loaded.state.default, b);
    const problems = await fsck(t.store, t.trust);
    assert.ok(problems.some((p) => p.kind === 'state-corrupt'));
    await fsck(t.store, t.trust, { repair: true });
    assert.deepEqual(await fsck(t.store, t.trust), []);
  });
});

describe('Store lock', () => {
  it('refuses while a live process holds the lock and takes over a dead one', async () => {
    const t = await makeStore();
    await t.fs.mkdir(L.store);
    await t.fs.writeFile(L.lock, JSON.stringify({ pid: 77, bootId: 'test-boot', token: 'x' }));
    const alive = new Store(t.fs, ROOT, { owner: { ...testOwner, isAlive: (pid) => pid === 77 }, now: testNow });
    await assert.rejects(alive.update(() => 0), { name: 'StoreLockedError', message: /process 77/ });
    await t.store.update(() => 0);
    assert.equal(await t.fs.exists(L.lock), false);
  });
  it('takes over a lock from an earlier boot even when the pid is alive now', async () => {
    const t = await makeStore();
    await t.fs.mkdir(L.store);
    await t.fs.writeFile(L.lock, JSON.stringify({ pid: 77, bootId: 'old-boot', token: 'x' }));
    const s = new Store(t.fs, ROOT, { owner: { ...testOwner, isAlive: () => true }, now: testNow });
    await s.update(() => 0);
  });
});

describe('gc', () => {
  it('never removes booted, lastGood, default, recovery or pinned generations', async () => {
    const t = await makeStore();
    const ids: string[] = [];
    for (let v = 1; v <= 8; v++) {
      ids.push(await t.add(v));
      await t.store.bless(ids[v - 1]);
    }
    const [g1, g2, g3, g4, g5, g6, g7, g8] = ids as [string, string, string, string, string, string, string, string];
    await t.store.setRecovery(g1);
    await t.store.pin(g2);
    await t.store.switchTo(g3);
    await t.store.recordTry({ id: g3, reason: 'default', attempt: 0, fallbacks: [], markBad: [] });
    await t.store.bless(g4); // lastGood
    await t.store.markBad(g8, 'broken');
    const plan = await gc(t.store, { keep: 1, dryRun: true });
    assert.deepEqual(plan.removed, [g5, g6, g8].sort());
    assert.ok((await state(t)).generations[g8]);
    const done = await gc(t.store, { keep: 1 });
    assert.deepEqual(done.removed, plan.removed);
    const s = await state(t);
    assert.deepEqual(Object.keys(s.generations).sort(), [g1, g2, g3, g4, g7].sort());
    for (const id of [g5, g6, g8]) assert.equal(await t.store.hasDir(id), false);
    for (const id of [g1, g2, g3, g4, g7]) await verifyGeneration(t.fs, ROOT, id, t.trust);
    assert.deepEqual(await fsck(t.store, t.trust), []);
  });
});

describe('fsck', () => {
  it('finds staging leftovers, orphans, missing dirs and corruption, and repairs them', async () => {
    const t = await makeStore();
    const a = await t.add(1);
    const b = await t.add(2);
    const c = await t.add(3);
    await t.store.bless(a);
    await t.store.bless(b);
    await t.fs.mkdir(`${L.staging}/add-junk/tree`);
    await t.fs.writeFile(`${L.tree(b)}/main.mjs`, 'tampered');
    await t.store.update((s) => { delete s.generations[c]; s.generations['g9-000000000000'] = { ...s.generations[a]!, version: 9 }; });
    const kinds = (await fsck(t.store, t.trust)).map((p) => `${p.kind}:${p.subject}`).sort();
    assert.deepEqual(kinds, [`corrupt:${b}`, 'missing-dir:g9-000000000000', `orphan-dir:${c}`, 'orphan-staging:add-junk'].sort());
    await fsck(t.store, t.trust, { repair: true });
    assert.deepEqual(await fsck(t.store, t.trust), []);
    const s = await state(t);
    assert.equal(s.generations[b]?.status, 'bad');
    assert.equal(s.generations[c]?.status, 'staged');
    assert.equal(s.generations['g9-000000000000'], undefined);
  });
});
