// A healthy new generation, end to end (2 TCG boots): staged with 2 tries from the host, it boots on its
// first try, passes its health checks and is blessed (store record, last good, anti-rollback floor, the
// UKI's boot counter); GC in the guest keeps it and the recovery generation; a cold boot (QEMU restarted,
// same disk and UEFI variables) boots it again; GC from the host keeps booted, last good and recovery.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gc } from '../gen/index.js';
import { withMachine } from '../vm/index.js';
import {
  addVariant, builtImage, e2fsckReadOnly, espEntries, firstGeneration, imageStore, onStore, readState, READY, storeProblems,
} from '../testkit/e2e/fixtures.js';
import { bootLines, guestJson, powerOff, shellPrompt } from '../testkit/e2e/guest.js';

describe('e2e: healthy new generation', () => {
  let image = '';
  before(async () => { image = await builtImage(); });

  it('boots on try 1, is blessed, survives GC, and a cold boot boots it again', { timeout: 900_000 }, async () => {
    await withMachine(image, async (m) => {
      const g1 = await firstGeneration(m.disk);
      const g2 = await addVariant(m.disk, { version: 2, rollbackFloor: 2 });
      const g3 = await addVariant(m.disk, { version: 3 });
      await onStore(m.disk, async (store) => {
        await store.markBad(g3, 'e2e: left for gc');
        await store.stage(g2, 2);
      });

      const vm = await m.boot();
      await vm.waitFor(READY);
      assert.deepEqual(bootLines(vm.console()), [{ id: g2, reason: 'default', attempt: 1 }]);
      assert.match(vm.console(), new RegExp(`dialogos ready generation=${g2}`));
      assert.match(vm.console(), new RegExp(`health checks passed \\(\\d+/\\d+\\) in \\d+ ms; generation ${g2} blessed`));
      await shellPrompt(vm);
      const inGuest = await guestJson<{ removed: string[] }>(vm, 'gen gc');
      assert.deepEqual(inGuest.removed, [g3], 'gc in the guest removes only the bad generation');
      await powerOff(vm);

      const s = await readState(m.disk);
      assert.equal(s.generations[g2]?.status, 'good');
      assert.equal(s.generations[g2]?.triesLeft, 0);
      assert.equal(s.lastGood, g2);
      assert.equal(s.default, g2);
      assert.equal(s.floor, 2, 'blessing raised the floor to its rollbackFloor');
      assert.equal(s.trial, null);
      assert.deepEqual([s.booted?.id, s.booted?.reason, s.booted?.attempt], [g2, 'default', 1]);
      assert.equal(s.generations[g1]?.status, 'good');
      assert.equal(s.generations[g3], undefined);
      assert.equal(await imageStore(m.disk).store.hasDir(g3), false);
      const entries = await espEntries(m.disk);
      assert.equal(entries.length, 2);
      assert.deepEqual(entries.filter((e) => /\+\d/.test(e)), [], `the booted UKI entry was blessed: ${entries.join(' ')}`);
      assert.deepEqual(await storeProblems(m.disk), []);
      assert.equal(e2fsckReadOnly(m.disk).status, 0, e2fsckReadOnly(m.disk).output);

      // Cold boot: a new QEMU on the same disk and UEFI variables.
      const cold = await m.boot();
      await cold.waitFor(READY);
      assert.deepEqual(bootLines(cold.console()), [{ id: g2, reason: 'default', attempt: 0 }]);
      assert.match(cold.console(), new RegExp(`dialogos ready generation=${g2}`));
      await shellPrompt(cold);
      await powerOff(cold);

      // GC from the host: booted (g2), last good (g4) and recovery (g1) stay, as does the default (g5).
      const [g4, g5, g6] = [await addVariant(m.disk, { version: 4 }), await addVariant(m.disk, { version: 5 }), await addVariant(m.disk, { version: 6 })];
      await onStore(m.disk, async (store) => {
        for (const id of [g6, g5, g4]) await store.bless(id);
        await store.switchTo(g5);
      });
      const before = await readState(m.disk);
      assert.deepEqual([before.booted?.id, before.lastGood, before.default], [g2, g4, g5]);
      const r = await onStore(m.disk, (store) => gc(store, { keep: 0 }));
      assert.deepEqual(r.removed, [g6]);
      const { store } = imageStore(m.disk);
      for (const id of [g1, g2, g4, g5]) assert.equal(await store.hasDir(id), true, `gc kept ${id}`);
      assert.equal(await store.hasDir(g6), false);
      assert.deepEqual(await storeProblems(m.disk), []);
    });
  });
});
