import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createLineSink, streamBytes } from './sink.js';
import { memJournal } from '../../testkit/core/journal/mem-journal.js';
import type { EntryInput } from './types.js';

function collect(o: Parameters<typeof createLineSink>[2] = {}) {
  const got: EntryInput[] = [];
  const sink = createLineSink((e) => got.push(e), 'svc', o);
  return { got, sink };
}

test('lines come out the same however the stream is chunked', () => {
  fc.assert(
    fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 30 }), { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 10 }), (lines, cuts) => {
      const bytes = Buffer.from(lines.map((l) => l.replace(/[\r\n]/g, '') + '\n').join(''), 'utf8');
      const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
      const { got, sink } = collect({ priorityPrefix: false });
      let prev = 0;
      for (const p of [...points, bytes.length]) {
        sink.write(bytes.subarray(prev, p));
        prev = p;
      }
      sink.end();
      assert.deepEqual(got.map((e) => e.message), lines.map((l) => l.replace(/[\r\n]/g, '')));
      assert.ok(got.every((e) => e.fields?.invalid_utf8 === undefined), 'a character split across chunks is not invalid');
    }),
  );
});

test('a huge line is split into pieces on character boundaries, nothing dropped, and the next line is intact', () => {
  const { got, sink } = collect({ maxLineBytes: 1024 });
  const huge = 'é'.repeat(100_000); // two bytes each: the cap falls inside a character half the time
  for (let i = 0; i < huge.length; i += 777) sink.write(huge.slice(i, i + 777));
  sink.write('\nnext line\npartial');
  sink.end();
  const pieces = got.filter((e) => e.fields?.part !== undefined);
  assert.equal(pieces.length, Math.ceil(200_000 / 1024));
  assert.equal(pieces.map((e) => e.message).join(''), huge);
  assert.deepEqual(pieces.map((e) => e.fields?.part), pieces.map((_, i) => String(i + 1)));
  assert.ok(pieces.slice(0, -1).every((e) => e.fields?.continues === 'true'));
  assert.equal(pieces.at(-1)!.fields?.continues, undefined);
  const rest = got.slice(pieces.length);
  assert.deepEqual(rest.map((e) => e.message), ['next line', 'partial']);
  assert.equal(rest[1]!.fields?.no_newline, 'true');
  assert.equal(sink.stats.splitLines, 1);
});

test('any byte stream, chunked anyhow, comes back byte-exact from its entries', () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.constantFrom('\n', '\r\n', '<3>', 'é', '\uFEFF', '€').map((t) => Buffer.from(t))), { maxLength: 30 }),
      fc.array(fc.nat(), { maxLength: 10 }),
      fc.integer({ min: 4, max: 64 }),
      (pieces, cuts, max) => {
        const bytes = Buffer.concat(pieces.map((p) => Buffer.from(p)));
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const { got, sink } = collect({ maxLineBytes: max });
        let prev = 0;
        for (const p of [...points, bytes.length]) {
          sink.write(bytes.subarray(prev, p));
          prev = p;
        }
        sink.end();
        assert.deepEqual(streamBytes(got.map((e) => ({ message: e.message, fields: e.fields ?? {} }))), bytes);
        assert.ok(got.every((e) => Buffer.byteLength(e.message) <= 3 * max), 'no entry beyond the cap (U+FFFD is 3 bytes)');
      },
    ),
  );
});

test('binary bytes are replaced, flagged, and kept whole in base64', () => {
  const { got, sink } = collect({ stream: 'stderr' });
  const raw = Buffer.from([0x41, 0xff, 0x00, 0xc3, 0x28, 0x1b, 0x5b, 0x42]);
  sink.write(Buffer.concat([raw, Buffer.from('\r\n')]));
  assert.equal(got.length, 1);
  const e = got[0]!;
  assert.equal(e.fields?.invalid_utf8, 'true');
  assert.equal(e.fields?.stream, 'stderr');
  assert.deepEqual(Buffer.from(e.fields!.raw_base64!, 'base64'), raw);
  assert.ok(e.message.includes('\uFFFD'));
});

test('a syslog priority prefix sets the level', () => {
  const { got, sink } = collect();
  sink.write('<3>disk failed\n<7>noise\n<9>not a prefix\nplain\n');
  assert.deepEqual(got.map((e) => [e.level, e.message]), [['error', 'disk failed'], ['debug', 'noise'], ['info', '<9>not a prefix'], ['info', 'plain']]);
});

test('huge and binary lines go through a real journal and come back as written', async () => {
  const { journal } = await memJournal();
  const sink = journal.sink('svc', { fields: { pid: '42' } });
  const bin = Buffer.alloc(40_000);
  for (let i = 0; i < bin.length; i++) bin[i] = (i * 7919) & 0xff;
  sink.write(Buffer.concat([bin.subarray(0, 10), Buffer.from('\n'), bin, Buffer.from('\nafter\n')]));
  sink.end();
  const all = await journal.list({ unit: 'svc' });
  assert.equal(all.length >= 3, true);
  const last = all[all.length - 1]!;
  assert.equal(last.message, 'after');
  assert.equal(last.fields.pid, '42');
  const first = all[0]!;
  assert.deepEqual(Buffer.from(first.fields.raw_base64!, 'base64'), bin.subarray(0, 10));
  // Every entry but the last came from binary: all flagged, none silently altered.
  for (const e of all.slice(0, -1)) assert.ok(e.fields.invalid_utf8 === 'true' || !e.message.includes('\uFFFD'));
  assert.throws(() => journal.sink('bad unit'), { name: 'JournalEntryError' });
  await journal.close();
});
