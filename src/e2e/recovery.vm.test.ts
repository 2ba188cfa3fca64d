// Last resort and self-build (2 TCG boots in one QEMU run): with every generation marked bad, the recovery
// generation boots anyway (reason `recovery`); from it, `dialogos gen build --stage 2` turns the running
// generation's own shipped source into a new generation signed with the machine key, and a reboot boots
// it on its first try, blesses it and reports it ready.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withMachine } from '../vm/index.js';
import { addVariant, builtImage, firstGeneration, onStore, readState, READY } from '../testkit/e2e/fixtures.js';
import { bootLines, GUEST_DIALOGOS, guestJson, powerOff, shellPrompt } from '../testkit/e2e/guest.js';

describe('e2e: recovery and self-build', () => {
  let image = '';
  before(async () => { image = await builtImage(); });

  it('every generation bad -> recovery boots; a self-built generation then boots and is blessed', { timeout: 1_200_000 }, async () => {
    await withMachine(image, async (m) => {
      const g1 = await firstGeneration(m.disk);
      const g2 = await addVariant(m.disk, { version: 2 });
      await onStore(m.disk, async (store) => {
        await store.bless(g2);
        await store.switchTo(g2);
        await store.markBad(g2, 'e2e: every generation bad');
        await store.markBad(g1, 'e2e: even the recovery generation');
      });
      const marked = await readState(m.disk);
      assert.deepEqual(Object.values(marked.generations).map((r) => r.status), ['bad', 'bad']);

      const vm = await m.boot();
      const ready = await vm.waitFor(READY);
      assert.equal(ready.groups[0], g1);
      assert.deepEqual(bootLines(vm.console()), [{ id: g1, reason: 'recovery', attempt: 0 }]);
      await shellPrompt(vm);

      const built = await guestJson<{ id: string; parent: string | null }>(vm, 'gen build --stage 2', 600_000);
      assert.match(built.id, /^g\d+-[0-9a-f]{12}$/);
      assert.equal(built.parent, g1);
      const from = vm.console().length;
      vm.write(`${GUEST_DIALOGOS} reboot\n`);
      const again = await vm.waitFor(READY, { from });
      assert.equal(again.groups[0], built.id);
      assert.deepEqual(bootLines(vm.console().slice(from)), [{ id: built.id, reason: 'default', attempt: 1 }]);
      assert.match(vm.console().slice(from), new RegExp(`generation ${built.id} blessed`));
      await shellPrompt(vm);
      await powerOff(vm);

      const s = await readState(m.disk);
      assert.equal(s.generations[built.id]?.status, 'good');
      assert.equal(s.lastGood, built.id);
      assert.equal(s.default, built.id);
    });
  });
});
