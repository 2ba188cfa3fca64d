// Opt-in long suite (2 TCG boots): a power cut while `dialogos gen build --stage 2` writes a new generation
// into the store (QEMU killed once the guest sees its files appearing in staging/). The
// next boot is the good generation; the store's fsck finds at most staging leftovers, which gc removes,
// and the ext4 file system checks clean after a clean power-off.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gc } from '../gen/index.js';
import { withMachine } from '../vm/index.js';
import { builtImage, e2fsckReadOnly, firstGeneration, onStore, readState, READY, storeProblems } from '../testkit/e2e/fixtures.js';
import { bootLines, GUEST_DIALOGOS, powerOff, shellPrompt } from '../testkit/e2e/guest.js';

describe('e2e (long): power cut during a self-build', () => {
  let image = '';
  before(async () => { image = await builtImage(); });

  it('the machine boots the good generation and the store checks clean after gc', { timeout: 900_000 }, async (t) => {
    await withMachine(image, async (m) => {
      const g1 = await firstGeneration(m.disk);
      const vm = await m.boot();
      await vm.waitFor(READY);
      await shellPrompt(vm);
      // The build runs in the background; the shell says when its files are appearing in staging/.
      vm.write(`${GUEST_DIALOGOS} gen build --stage 2 & until ls -d /data/dialogos/store/staging/*/tree/src >/dev/null 2>&1; do sleep 0.1; done; echo WRITING$((6*7))\n`);
      await vm.waitFor('WRITING42', { timeoutMs: 300_000 });
      await vm.kill();
      assert.doesNotMatch(vm.console(), /"id":|built generation/, 'the cut came before the build finished');

      const again = await m.boot();
      assert.equal((await again.waitFor(READY)).groups[0], g1);
      assert.deepEqual(bootLines(again.console()), [{ id: g1, reason: 'default', attempt: 0 }]);
      await shellPrompt(again);
      await powerOff(again);

      const s = await readState(m.disk);
      assert.deepEqual(Object.keys(s.generations), [g1], 'the half-written generation never reached the state');
      const problems = await storeProblems(m.disk);
      t.diagnostic(`store problems after the cut: ${JSON.stringify(problems.map((p) => [p.kind, p.subject]))}`);
      assert.deepEqual(problems.filter((p) => p.kind !== 'orphan-staging'), [], JSON.stringify(problems));
      const r = await onStore(m.disk, (store) => gc(store));
      assert.equal(r.staging.length, problems.length);
      assert.deepEqual(await storeProblems(m.disk), []);
      assert.equal(e2fsckReadOnly(m.disk).status, 0, e2fsckReadOnly(m.disk).output);
    });
  });
});
