import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseCmdline, splitCmdline } from './cmdline.js';

test('reads dialogos.gen, dialogos.menu and dialogos.datawait; the last one wins', () => {
  const c = parseCmdline('BOOT_IMAGE=/vmlinuz console=ttyS0 dialogos.menu=5 quiet dialogos.gen=g3-0123abcd dialogos.menu=250 dialogos.datawait=9000\n');
  assert.deepEqual(c, { forcedId: 'g3-0123abcd', menuMs: 250, dataWaitMs: 9000, warnings: [] });
});

test('quotes group words as the kernel does', () => {
  assert.deepEqual(splitCmdline('a "b c" d="e f"  g'), ['a', 'b c', 'd=e f', 'g']);
});

test('malformed values are ignored with a warning, never thrown', () => {
  const c = parseCmdline('dialogos.menu=-1 dialogos.gen=../x dialogos.datawait=1e9');
  assert.equal(c.menuMs, null);
  assert.equal(c.forcedId, null);
  assert.equal(c.dataWaitMs, null);
  assert.equal(c.warnings.length, 3);
});

test('property: any text parses without throwing and yields only well-formed values', () => {
  fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => {
    const c = parseCmdline(s);
    if (c.forcedId !== null) assert.match(c.forcedId, /^[A-Za-z0-9._-]{1,100}$/);
    for (const v of [c.menuMs, c.dataWaitMs]) if (v !== null) assert.ok(Number.isInteger(v) && v >= 0 && v <= 600_000);
  }), { numRuns: 2000 });
});

test('property: a generated id survives among arbitrary other words', () => {
  const word = fc.stringMatching(/^[a-z.=_0-9]{1,12}$/).filter((w) => !w.startsWith('dialogos.'));
  fc.assert(fc.property(fc.array(word), fc.stringMatching(/^g[0-9]{1,4}-[0-9a-f]{12}$/), fc.array(word), (pre, id, post) => {
    assert.equal(parseCmdline([...pre, `dialogos.gen=${id}`, ...post].join(' ')).forcedId, id);
  }));
});
