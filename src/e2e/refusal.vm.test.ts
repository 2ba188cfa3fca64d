// Verification before the jump (1 TCG boot): four generations that must not boot sit where the policy
// looks first (one-shot, default, then good generations by version), and a plain good generation comes
// after them. The stage refuses each with a clear console line, before anything is recorded, and boots
// the good one without spending a try of anything (no boot record but the good one's, attempt 0).
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateSigningKey } from '../gen/index.js';
import { withMachine } from '../vm/index.js';
import {
  addVariant, builtImage, corruptTreeFile, hostVerify, onStore, readState, READY, removeSignature, signOtherBytes,
} from '../testkit/e2e/fixtures.js';
import { bootLines, powerOff, shellPrompt } from '../testkit/e2e/guest.js';

describe('e2e: refused generations', () => {
  let image = '';
  before(async () => { image = await builtImage(); });

  it('corrupted, unsigned, wrongly signed and untrusted generations are refused; the good one boots', { timeout: 600_000 }, async () => {
    await withMachine(image, async (m) => {
      const good = await addVariant(m.disk, { version: 2 });
      const corrupt = await addVariant(m.disk, { version: 3 });
      const unsigned = await addVariant(m.disk, { version: 4 });
      const wrong = await addVariant(m.disk, { version: 5 });
      const untrusted = await addVariant(m.disk, { version: 6, key: generateSigningKey() });
      await onStore(m.disk, async (store) => {
        for (const id of [unsigned, wrong, untrusted, good]) await store.bless(id);
        await store.stage(corrupt, 2); // the default, on trial
        await store.switchTo(unsigned, { once: true });
      });
      await corruptTreeFile(m.disk, corrupt, 'defaults/health.json');
      await removeSignature(m.disk, unsigned);
      await signOtherBytes(m.disk, wrong);
      // The tampering reached the image (the host verifier agrees before the guest is asked).
      for (const id of [corrupt, unsigned, wrong, untrusted]) assert.notEqual(await hostVerify(m.disk, id), null, id);
      assert.equal(await hostVerify(m.disk, good), null);
      const before = await readState(m.disk);

      const vm = await m.boot();
      const ready = await vm.waitFor(READY);
      assert.equal(ready.groups[0], good);
      const text = vm.console();
      const refusal = (id: string) => new RegExp(`dialogos: refusing generation ${id}: (.*)`).exec(text)?.[1] ?? '(no refusal line)';
      assert.match(refusal(unsigned), /manifest\.sig is missing or empty/);
      assert.match(refusal(corrupt), /file "defaults\/health\.json"/);
      assert.match(refusal(wrong), /manifest signature does not match key/);
      assert.match(refusal(untrusted), /signing key "k-[0-9a-f]+" is not in the trust configuration/);
      const refusedAt = Math.max(...[unsigned, corrupt, wrong, untrusted].map((id) => text.indexOf(`refusing generation ${id}`)));
      assert.ok(refusedAt < text.indexOf('dialogos: booting generation'), 'every refusal comes before the try is recorded');
      assert.deepEqual(bootLines(text), [{ id: good, reason: 'fallback', attempt: 0 }]);
      await shellPrompt(vm);
      await powerOff(vm);

      const s = await readState(m.disk);
      for (const id of [corrupt, unsigned, wrong]) assert.equal(s.generations[id]?.status, 'bad', `${id} marked bad`);
      assert.equal(s.generations[untrusted]?.status, 'good', 'an untrusted key only skips the generation');
      assert.deepEqual(s.history.filter((h) => h.id !== good), before.history, 'no try was recorded for a refused generation');
      assert.equal(s.generations[good]?.status, 'good');
      assert.deepEqual(s.history.map((h) => [h.id, h.reason, h.attempt]), [...before.history.map((h) => [h.id, h.reason, h.attempt]), [good, 'fallback', 0]]);
      assert.equal(s.trial, null);
    });
  });
});
