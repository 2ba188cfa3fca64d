import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { blessedName, espRelativePath, parseBootCountName } from './bootcount.js';

test('blesses counted names by dropping the counter', () => {
  assert.equal(blessedName('a+3.efi'), 'a.efi');
  assert.equal(blessedName('a+2-1.efi'), 'a.efi');
  assert.equal(blessedName('dialogos-6.1-b+2-1.efi'), 'dialogos-6.1-b.efi');
  assert.equal(blessedName('x+1-2.conf'), 'x.conf');
  // Exhausted but it booted and passed: bless it (only ever applied to the running entry).
  assert.equal(blessedName('a+0-3.efi'), 'a.efi');
  assert.equal(blessedName('A+2-1.EFI'), 'A.EFI');
});

test('leaves uncounted and malformed names alone', () => {
  for (const n of ['a.efi', '+3.efi', 'a+.efi', 'a+3-.efi', 'a+-1.efi', 'a+3.efi.bak', 'a+x-1.efi', 'a+3', 'a-b+c.efi', 'dialogos_1-a.efi']) {
    assert.equal(blessedName(n), null, n);
  }
  assert.deepEqual(parseBootCountName('a+b+3-1.efi'), { base: 'a+b', left: 3, done: 1, suffix: '.efi' });
});

const base = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !s.includes('+'));
const num = fc.integer({ min: 0, max: 999 });

test('property: a counted name blesses to its base name, which is then uncounted', () => {
  fc.assert(fc.property(base, num, fc.option(num, { nil: null }), fc.constantFrom('.efi', '.conf'), (b, left, done, suffix) => {
    const name = `${b}+${left}${done === null ? '' : `-${done}`}${suffix}`;
    assert.deepEqual(parseBootCountName(name), { base: b, left, done, suffix });
    assert.equal(blessedName(name), b + suffix);
    assert.equal(blessedName(b + suffix), null);
  }));
});

test('property: blessedName never throws and only ever shortens a name', () => {
  fc.assert(fc.property(fc.string({ maxLength: 60 }), (s) => {
    const r = blessedName(s);
    if (r !== null) assert.ok(r.length < s.length && /\.(efi|conf)$/i.test(r));
  }), { numRuns: 3000 });
});

test('loader paths become ESP-relative; traversal is refused', () => {
  assert.equal(espRelativePath('\\EFI\\Linux\\a+2-1.efi'), 'EFI/Linux/a+2-1.efi');
  for (const p of ['', '\\', '\\EFI\\..\\x.efi', '\\EFI\\\\x.efi', '\\EFI/x.efi', '\\.\\x']) {
    assert.throws(() => espRelativePath(p), { name: 'BootCountNameError' }, p);
  }
});

test('property: espRelativePath throws only BootCountNameError and never yields ".." components', () => {
  fc.assert(fc.property(fc.string({ maxLength: 60 }), (s) => {
    try {
      const r = espRelativePath(s);
      assert.ok(!r.split('/').some((c) => c === '..' || c === '.' || c === ''));
    } catch (err) {
      assert.equal((err as Error).name, 'BootCountNameError');
    }
  }), { numRuns: 3000 });
});
