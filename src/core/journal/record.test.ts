import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { crc32 } from './crc32.js';
import { decodeRecord, encodeRecord, scanBuffer } from './record.js';
import { LEVELS, type JournalEntry } from './types.js';

const entryArb: fc.Arbitrary<JournalEntry> = fc.record({
  seq: fc.nat(),
  time: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  unit: fc.stringMatching(/^[a-z0-9@._:-]{1,20}$/),
  level: fc.constantFrom(...LEVELS),
  // Full unicode strings, lone surrogates and control characters included.
  message: fc.string({ unit: 'binary', maxLength: 200 }),
  fields: fc.dictionary(fc.stringMatching(/^[a-z_]{1,10}$/), fc.string({ unit: 'binary', maxLength: 30 })),
}).map((e) => ({ ...e, fields: { ...e.fields } })); // plain prototypes, as JSON.parse makes

test('crc32 matches the standard check values', () => {
  assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926);
  assert.equal(crc32(new Uint8Array()), 0);
  assert.equal(crc32(new TextEncoder().encode('The quick brown fox jumps over the lazy dog')), 0x414fa339);
});

test('a record decodes to the entry it encodes, as one line', () => {
  fc.assert(
    fc.property(entryArb, (e) => {
      const b = encodeRecord(e);
      assert.equal(b.indexOf(0x0a), b.length - 1, 'exactly one newline, at the end');
      assert.deepEqual(decodeRecord(b, 0, b.length - 1), e);
    }),
  );
});

test('any single changed byte makes a record invalid', () => {
  fc.assert(
    fc.property(entryArb, fc.nat(), fc.integer({ min: 1, max: 255 }), (e, at, delta) => {
      const b = encodeRecord(e);
      const i = at % (b.length - 1);
      b[i] = (b[i]! + delta) & 0xff;
      // The change may introduce a newline; then the first line is a fragment, invalid too.
      const end = b.indexOf(0x0a);
      assert.equal(decodeRecord(b, 0, end), undefined);
    }),
  );
});

test('scanBuffer stops its valid prefix at a torn tail and skips a damaged middle line', () => {
  const e = (seq: number): JournalEntry => ({ seq, time: '2026-11-26T10:00:00.000Z', unit: 'u', level: 'info', message: `m${seq}`, fields: {} });
  const [a, b, c] = [encodeRecord(e(1)), encodeRecord(e(2)), encodeRecord(e(3))];
  b[12] = 0x21;
  const whole = Buffer.concat([a, b, c, encodeRecord(e(4)).subarray(0, 20)]);
  const r = scanBuffer(whole);
  assert.deepEqual(r.records.map((x) => x.entry.seq), [1, 3]);
  assert.equal(r.validEnd, a.length + b.length + c.length);
  assert.equal(r.badLines, 1);
});
