// Power cuts (3 TCG boots, the first cut short): QEMU killed right after the stage printed `booting
// generation` (the try is recorded durably before that line and the jump follows it), then killed while
// the operator shell stages and switches generations in a loop. Each time the machine comes back to a
// good generation, the try was counted exactly once, and the store and its ext4 file system check clean.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { withMachine } from '../vm/index.js';
import {
  addVariant, afterPowerCut, builtImage, e2fsckReadOnly, onStore, readState, READY, storeProblems,
} from '../testkit/e2e/fixtures.js';
import { bootLines, GUEST_DIALOGOS, powerOff, shellPrompt } from '../testkit/e2e/guest.js';

describe('e2e: power cuts', () => {
  let image = '';
  before(async () => { image = await builtImage(); });

  it('between "try recorded" and the jump, and while staging: a good generation boots, the store checks clean', { timeout: 900_000 }, async (t) => {
    await withMachine(image, async (m) => {
      const gs = await addVariant(m.disk, { version: 2 });
      const gt = await addVariant(m.disk, { version: 3 });
      await onStore(m.disk, (store) => store.stage(gs, 2));

      // Cut 1: the stage printed the booting line, i.e. the try is durable and the jump is next.
      const vm1 = await m.boot();
      await vm1.waitFor(`dialogos: booting generation ${gs} (default, try 1)`);
      await vm1.kill();
      assert.doesNotMatch(vm1.console(), /dialogos: starting generation/, 'the cut came before the jump');
      const cut = await afterPowerCut(m.disk);
      assert.ok(cut.e2fsck.status <= 1, `e2fsck -fp after the cut: ${cut.e2fsck.output}`);
      const s1 = cut.state;
      assert.equal(s1.generations[gs]?.triesLeft, 1, 'the try was recorded before the line');
      assert.equal(s1.trial?.id, gs);
      assert.deepEqual([s1.booted?.id, s1.booted?.attempt], [gs, 1]);

      // The next boot is its second try, and it passes.
      const vm2 = await m.boot();
      const ready2 = await vm2.waitFor(READY);
      assert.equal(ready2.groups[0], gs);
      assert.deepEqual(bootLines(vm2.console()), [{ id: gs, reason: 'default', attempt: 2 }]);
      await shellPrompt(vm2);

      // Cut 2: stage and switch in a loop; cut half an iteration after the second stage.
      vm2.write(`D="${GUEST_DIALOGOS}"; while true; do $D gen stage ${gt} --tries 2; $D gen switch ${gs}; done\n`);
      const first = await vm2.waitFor(`staged ${gt} with 2 tries`);
      const second = await vm2.waitFor(`staged ${gt} with 2 tries`);
      await delay((second.tMs - first.tMs) / 2);
      await vm2.kill();
      t.diagnostic(`loop iteration ${Math.round(second.tMs - first.tMs)} ms; cut ${Math.round((second.tMs - first.tMs) / 2)} ms after the second stage`);

      const vm3 = await m.boot();
      const ready3 = await vm3.waitFor(READY);
      const id = ready3.groups[0]!;
      t.diagnostic(`after the cut while staging: ${bootLines(vm3.console()).map((l) => `${l.id} (${l.reason}, try ${l.attempt})`).join(', ')}`);
      assert.ok([gs, gt].includes(id), `a generation of the store is ready: ${id}`);
      await shellPrompt(vm3);
      await powerOff(vm3);
      const s3 = await readState(m.disk);
      assert.equal(s3.generations[id]?.status, 'good');
      assert.deepEqual(Object.values(s3.generations).filter((r) => r.status === 'bad'), []);
      assert.equal(e2fsckReadOnly(m.disk).status, 0, e2fsckReadOnly(m.disk).output);
      assert.deepEqual(await storeProblems(m.disk), []);
    });
  });
});
