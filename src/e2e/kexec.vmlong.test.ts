// Opt-in long suite (about 3 TCG boots in one QEMU run, one of them a kexec): a generation that carries
// its own kernel, whose command line cannot work (no initrd, no such root device, panic=1), is kexec'd,
// the kernel panics and reboots the machine, and once its single try is spent the stage marks it bad and
// boots the good generation.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withMachine } from '../vm/index.js';
import { addVariant, builtImage, firstGeneration, hostKernelImage, onStore, readState, READY } from '../testkit/e2e/fixtures.js';
import { bootLines, powerOff, shellPrompt } from '../testkit/e2e/guest.js';

describe('e2e (long): kernel panic after kexec', () => {
  let image = '';
  before(async () => { image = await builtImage(); });

  it('a generation whose kernel panics falls back after its tries', { timeout: 900_000 }, async () => {
    await withMachine(image, async (m) => {
      const g1 = await firstGeneration(m.disk);
      const gk = await addVariant(m.disk, {
        version: 2,
        kernel: { hostImage: hostKernelImage(), cmdline: 'console=ttyS0 root=/dev/nonexistent panic=1' },
      });
      await onStore(m.disk, (store) => store.stage(gk, 1));

      const vm = await m.boot();
      await vm.waitFor(`dialogos: loading generation ${gk}'s own kernel with kexec`);
      await vm.waitFor(/Kernel panic - not syncing/);
      await vm.waitFor(`dialogos: fallback from ${gk}: tries exhausted`);
      const ready = await vm.waitFor(READY);
      assert.equal(ready.groups[0], g1);
      assert.deepEqual(bootLines(vm.console()), [
        { id: gk, reason: 'default', attempt: 1 },
        { id: g1, reason: 'recovery', attempt: 0 },
      ]);
      await shellPrompt(vm);
      await powerOff(vm);

      const s = await readState(m.disk);
      assert.equal(s.generations[gk]?.status, 'bad');
      assert.equal(s.generations[gk]?.badReason, 'tries exhausted');
      assert.deepEqual(s.history.slice(-2).map((h) => [h.id, h.reason, h.attempt]), [[gk, 'default', 1], [g1, 'recovery', 0]]);
    });
  });
});
