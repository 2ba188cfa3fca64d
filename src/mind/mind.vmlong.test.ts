// The code index inside a booted Dialogos (TCG): the generation's bundle indexes /dialogos with the one
// shipped typescript file, saves the index under /data, answers with a cited line, and a second run with
// nothing changed only checks hashes. Prints the in-OS timings (opt-in long suite: one boot, minutes).
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { withMachine } from '../vm/index.js';
import { builtImage, READY } from '../testkit/e2e/fixtures.js';
import { guestJson, powerOff, sh, shellPrompt } from '../testkit/e2e/guest.js';

let image = '';
before(async () => { image = await builtImage(); });

test('dialogos code index and def inside the OS', { timeout: 1_500_000 }, async () => {
  await withMachine(image, async (m) => {
    const vm = await m.boot();
    await vm.waitFor(READY);
    await shellPrompt(vm);
    let t0 = performance.now();
    const built = await guestJson<{ file: string; rebuilt: boolean; stats: { files: number; symbols: number }; summary: { ms: number } }>(vm, 'code index', 900_000);
    const fullMs = performance.now() - t0;
    assert.equal(built.rebuilt, true);
    assert.ok(built.stats.symbols > 1000, `symbols: ${built.stats.symbols}`);
    assert.match(built.file, /^\/data\/dialogos\/mind\/index-[0-9a-f]{12}\.json$/);
    t0 = performance.now();
    const again = await guestJson<{ rebuilt: boolean; summary: { changed: string[] } }>(vm, 'code index', 300_000);
    const sameMs = performance.now() - t0;
    assert.deepEqual([again.rebuilt, again.summary.changed], [false, []]);
    t0 = performance.now();
    // An array: guestJson reads objects only.
    const r = await sh(vm, 'node /dialogos/bin/dialogos.mjs code def writeGeneration --json 2>/tmp/code.err', 300_000);
    const defMs = performance.now() - t0;
    assert.equal(r.status, 0, r.output);
    process.stdout.write(`# in the OS (TCG): code index full build ${Math.round(fullMs)} ms (build itself ${built.summary.ms} ms, ${built.stats.files} files); `
      + `code index unchanged ${Math.round(sameMs)} ms; code def ${Math.round(defMs)} ms (each a whole CLI process, timed from the host)\n`);
    const defs = JSON.parse(r.output.slice(r.output.search(/^\[/m), r.output.lastIndexOf(']') + 1)) as Array<{ path: string; line: number }>;
    assert.equal(defs[0]!.path, 'src/gen/build.ts');
    const line = await sh(vm, `sed -n ${defs[0]!.line}p /dialogos/src/gen/build.ts`);
    assert.match(line.output, /writeGeneration/);
    await powerOff(vm);
  });
});
