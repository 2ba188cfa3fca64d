// Falling back to the last good generation (4 TCG boots, 2 per test, each pair in one QEMU run: the
// guest reboots itself): a generation whose health check fails is marked bad by dialogosd and the machine
// goes back to the previous generation; a generation whose main program crashes makes PID 1 reboot after
// 3 failures, and once its tries are spent the stage marks it bad and boots the good one.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withMachine } from '../vm/index.js';
import { addVariant, builtImage, FAILING_HEALTH, firstGeneration, onStore, readState, READY } from '../testkit/e2e/fixtures.js';
import { bootLines, powerOff, shellPrompt } from '../testkit/e2e/guest.js';

describe('e2e: fallback to the last good generation', () => {
  let image = '';
  before(async () => { image = await builtImage(); });

  it('health check failing -> marked bad -> reboot -> previous generation ready', { timeout: 600_000 }, async () => {
    await withMachine(image, async (m) => {
      const g1 = await firstGeneration(m.disk);
      const g2 = await addVariant(m.disk, { version: 2, health: FAILING_HEALTH });
      await onStore(m.disk, (store) => store.stage(g2, 2));

      const vm = await m.boot();
      await vm.waitFor(new RegExp(`dialogos: generation ${g2} marked bad: .*always-fails.*; rebooting to the previous generation`));
      const ready = await vm.waitFor(READY);
      assert.equal(ready.groups[0], g1);
      const boots = bootLines(vm.console());
      assert.equal(boots.length, 2, 'one reboot');
      assert.deepEqual(boots[0], { id: g2, reason: 'default', attempt: 1 });
      assert.deepEqual([boots[1]!.id, boots[1]!.attempt], [g1, 0]);
      assert.ok(['default', 'fallback'].includes(boots[1]!.reason), boots[1]!.reason);
      await shellPrompt(vm);
      await powerOff(vm);

      const s = await readState(m.disk);
      assert.equal(s.generations[g2]?.status, 'bad');
      assert.match(s.generations[g2]?.badReason ?? '', /always-fails/);
      assert.equal(s.generations[g1]?.status, 'good');
      assert.equal(s.default, g1);
      assert.equal(s.lastGood, g1);
      assert.equal(s.trial, null);
      assert.deepEqual([s.booted?.id, s.booted?.attempt], [g1, 0]);
    });
  });

  it('main program crashing -> PID 1 reboots -> tries spent -> marked bad -> good generation ready', { timeout: 600_000 }, async () => {
    await withMachine(image, async (m) => {
      const g1 = await firstGeneration(m.disk);
      const crash = await addVariant(m.disk, {
        version: 2,
        entry: { main: 'bin/crash.mjs', args: [] },
        files: { 'bin/crash.mjs': ["throw new Error('e2e: this generation crashes on purpose');\n", 0o755] },
      });
      await onStore(m.disk, (store) => store.stage(crash, 1));

      const vm = await m.boot();
      await vm.waitFor(`dialogos: generation ${crash} main process failed 3 times during its trial; rebooting to count the try`);
      await vm.waitFor(`dialogos: fallback from ${crash}: tries exhausted`);
      const ready = await vm.waitFor(READY);
      assert.equal(ready.groups[0], g1);
      assert.match(vm.console(), new RegExp(`dialogos: marking generation ${crash} bad: tries exhausted`));
      assert.deepEqual(bootLines(vm.console()), [
        { id: crash, reason: 'default', attempt: 1 },
        { id: g1, reason: 'recovery', attempt: 0 }, // g1 is the only good one: the recovery slot
      ]);
      await shellPrompt(vm);
      await powerOff(vm);

      const s = await readState(m.disk);
      assert.equal(s.generations[crash]?.status, 'bad');
      assert.equal(s.generations[crash]?.badReason, 'tries exhausted');
      assert.equal(s.generations[g1]?.status, 'good');
      assert.deepEqual(s.history.slice(-2).map((h) => [h.id, h.reason, h.attempt]), [[crash, 'default', 1], [g1, 'recovery', 0]]);
    });
  });
});
