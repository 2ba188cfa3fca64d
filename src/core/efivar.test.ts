import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeEfiString, parseEfiString, loaderVarPath } from './efivar.js';

test('parses a LoaderBootCountPath as systemd-boot writes it', () => {
  const path = '\\EFI\\Linux\\dialogos-6.1-b+2-1.efi';
  const bytes = new Uint8Array([0x07, 0, 0, 0, ...Buffer.from(path + '\0', 'utf16le')]);
  assert.equal(parseEfiString(bytes), path);
  assert.deepEqual(encodeEfiString(path), bytes);
});

test('accepts a value without the terminating NUL and stops at the first NUL', () => {
  assert.equal(parseEfiString(new Uint8Array([7, 0, 0, 0, 0x61, 0, 0x62, 0])), 'ab');
  assert.equal(parseEfiString(new Uint8Array([7, 0, 0, 0, 0x61, 0, 0, 0, 0x62, 0])), 'a');
  assert.equal(parseEfiString(new Uint8Array([7, 0, 0, 0])), '');
});

test('refuses short, odd-length and invalid UTF-16 payloads with EfiVarError', () => {
  for (const b of [[], [7, 0, 0], [7, 0, 0, 0, 0x61], [7, 0, 0, 0, 0x00, 0xd8, 0x61, 0]]) {
    assert.throws(() => parseEfiString(new Uint8Array(b)), { name: 'EfiVarError' });
  }
});

test('property: random bytes never throw anything but EfiVarError', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
    try {
      const s = parseEfiString(bytes);
      assert.equal(typeof s, 'string');
      assert.ok(!s.includes('\0'));
    } catch (err) {
      assert.equal((err as Error).name, 'EfiVarError');
    }
  }), { numRuns: 2000 });
});

test('property: valid strings without NUL round-trip through encode and parse', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }).filter((s) => !s.includes('\0')), fc.integer({ min: 0, max: 0xffffffff }), (s, attrs) => {
    assert.equal(parseEfiString(encodeEfiString(s, attrs)), s);
  }), { numRuns: 2000 });
});

test('names the efivarfs file with systemd-boot vendor GUID', () => {
  assert.equal(loaderVarPath('LoaderBootCountPath', '/e'), '/e/LoaderBootCountPath-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f');
});
