// The OS tests itself (issue 10 item 1), in one TCG boot: inside the booted generation `dialogos test --unit
// gen/canonical` runs the shipped dist/ with the shipped runner and writes per-test records, all passing;
// a copy of the tree whose compiled canonicalJson is broken fails the same run; a copy that lacks
// fast-check is refused with the missing path named. Long suite: node's test runner under TCG costs minutes.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { withMachine } from '../vm/index.js';
import { builtImage, READY } from '../testkit/e2e/fixtures.js';
import { powerOff, sh, shellPrompt } from '../testkit/e2e/guest.js';

interface Record { file: string | null; name: string; status: string }

/** The records the guest printed on one line (the --results file, compacted). */
function records(output: string): Record[] {
  const start = output.indexOf('{"schema"');
  assert.ok(start >= 0, `no records in the guest's output:\n${output.slice(-2000)}`);
  return (JSON.parse(output.slice(start, output.indexOf('\n', start)).trim()) as { tests: Record[] }).tests;
}

/** A copy of /dialogos in /tmp/copy: dist/ and bin/ as real files (to break them), the rest linked. */
const COPY = 'rm -rf /tmp/copy && mkdir /tmp/copy && for e in /dialogos/* /dialogos/.[!.]*; do [ -e "$e" ] && ln -s "$e" /tmp/copy/; done; '
  + 'rm /tmp/copy/dist /tmp/copy/bin && cp -r /dialogos/dist /dialogos/bin /tmp/copy/';
/** One filtered unit run by the tree's own bundle; prints its records compacted, then the summary's tail. */
const COMPACT = `node -e "console.log(JSON.stringify(JSON.parse(require('fs').readFileSync('/tmp/r.json','utf8'))))"`;
const RUN = (root: string): string => `cd ${root} && node bin/dialogos.mjs test --unit gen/canonical --results /tmp/r.json >/tmp/t.out 2>&1; s=$?; `
  + `cd /; ${COMPACT}; tail -5 /tmp/t.out; [ $s = 0 ]`;

describe('e2e: the OS tests itself', () => {
  let image = '';
  before(async () => { image = await builtImage(); });

  it('dialogos test --unit passes in the guest with per-test records; a broken copy fails; a lacking one is refused', { timeout: 1_800_000 }, async (t) => {
    await withMachine(image, async (m) => {
      const vm = await m.boot();
      await vm.waitFor(READY);
      await shellPrompt(vm);
      const good = await sh(vm, `rm -f /tmp/r.json; (${RUN('/dialogos')})`, 900_000);
      const passed = records(good.output);
      assert.equal(good.status, 0, good.output.slice(-3000));
      assert.ok(passed.length > 0 && passed.every((r) => r.status === 'pass'), JSON.stringify(passed));
      t.diagnostic(`in the guest: ${passed.length} tests of gen/canonical passed`);

      const copied = await sh(vm, COPY, 300_000);
      assert.equal(copied.status, 0, copied.output);
      const broke = await sh(vm, `sed -i "s/return encode(value, '\\$');/return encode(value, '\\$') + ' ';/" /tmp/copy/dist/gen/canonical.js && grep -c "+ ' '" /tmp/copy/dist/gen/canonical.js`);
      assert.equal(broke.status, 0, broke.output);
      const bad = await sh(vm, `rm -f /tmp/r.json; (${RUN('/tmp/copy')})`, 900_000);
      assert.notEqual(bad.status, 0, 'the broken copy must fail');
      assert.ok(records(bad.output).some((r) => r.status === 'fail'), bad.output.slice(-3000));

      const refuse = 'rm /tmp/copy/node_modules && mkdir /tmp/copy/node_modules && cd /tmp/copy && node bin/dialogos.mjs test --unit gen/canonical 2>&1; s=$?; cd /; [ $s = 2 ]';
      const lacking = await sh(vm, refuse, 300_000);
      assert.equal(lacking.status, 0, lacking.output);
      assert.match(lacking.output, /lacks .*node_modules\/typescript\/lib\/typescript\.js/);
      await powerOff(vm);
    });
  });
});
