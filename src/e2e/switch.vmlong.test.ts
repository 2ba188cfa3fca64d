// Opt-in long suite (4 TCG boots, two QEMU runs): `dialogos gen switch` inside the OS, then a cold boot
// (QEMU restarted on the same disk and UEFI variables) boots the switched-to generation; `switch --once`
// boots the other one exactly once, and the boot after that is back on the default.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withMachine } from '../vm/index.js';
import { addVariant, builtImage, firstGeneration, onStore, readState, READY } from '../testkit/e2e/fixtures.js';
import { bootLines, GUEST_DIALOGOS, guestJson, powerOff, shellPrompt } from '../testkit/e2e/guest.js';

describe('e2e (long): switching generations', () => {
  let image = '';
  before(async () => { image = await builtImage(); });

  it('cold boot after a switch boots the same generation; --once boots once', { timeout: 1_200_000 }, async () => {
    await withMachine(image, async (m) => {
      const g1 = await firstGeneration(m.disk);
      const g2 = await addVariant(m.disk, { version: 2 });
      await onStore(m.disk, (store) => store.bless(g2));

      const vm = await m.boot();
      assert.equal((await vm.waitFor(READY)).groups[0], g1);
      await shellPrompt(vm);
      const switched = await guestJson<{ default: string }>(vm, `gen switch ${g2}`);
      assert.equal(switched.default, g2);
      await powerOff(vm);

      const cold = await m.boot();
      assert.equal((await cold.waitFor(READY)).groups[0], g2);
      assert.deepEqual(bootLines(cold.console()), [{ id: g2, reason: 'default', attempt: 0 }]);
      await shellPrompt(cold);
      assert.equal((await guestJson<{ oneShot: string }>(cold, `gen switch ${g1} --once`)).oneShot, g1);
      let from = cold.console().length;
      cold.write(`${GUEST_DIALOGOS} reboot\n`);
      assert.equal((await cold.waitFor(READY, { from })).groups[0], g1);
      assert.deepEqual(bootLines(cold.console().slice(from)), [{ id: g1, reason: 'oneshot', attempt: 0 }]);
      await shellPrompt(cold);
      from = cold.console().length;
      cold.write(`${GUEST_DIALOGOS} reboot\n`);
      assert.equal((await cold.waitFor(READY, { from })).groups[0], g2);
      assert.deepEqual(bootLines(cold.console().slice(from)), [{ id: g2, reason: 'default', attempt: 0 }]);
      await shellPrompt(cold);
      await powerOff(cold);

      const s = await readState(m.disk);
      assert.deepEqual([s.default, s.oneShot, s.booted?.id], [g2, null, g2]);
    });
  });
});
