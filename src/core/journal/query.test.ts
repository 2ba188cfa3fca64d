import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileQuery, parseTime } from './filter.js';
import { memJournal } from '../../testkit/core/journal/mem-journal.js';
import { LEVELS, levelRank, type JournalEntry, type JournalQuery, type Level } from './types.js';

const NOW = Date.parse('2026-11-26T12:00:00.000Z');

test('parseTime reads ISO, epoch ms, now and relative spans', () => {
  assert.equal(parseTime('2026-11-26T10:00:00Z', NOW), Date.parse('2026-11-26T10:00:00Z'));
  assert.equal(parseTime('now', NOW), NOW);
  assert.equal(parseTime('-10m', NOW), NOW - 600_000);
  assert.equal(parseTime('1h', NOW), NOW - 3_600_000);
  assert.equal(parseTime('+30s', NOW), NOW + 30_000);
  assert.equal(parseTime('1.5d', NOW), NOW - 1.5 * 86_400_000);
  assert.equal(parseTime(12345, NOW), 12345);
  for (const bad of ['yesterday', '10 minutes', '', '-m', '2026-13-45', 'Tue 10:00']) {
    assert.throws(() => parseTime(bad, NOW), { name: 'JournalQueryError', message: /Cannot parse time/ }, bad);
  }
});

test('bad query options are refused by name', () => {
  assert.throws(() => compileQuery({ minLevel: 'loud' as Level }, NOW), { name: 'JournalQueryError' });
  assert.throws(() => compileQuery({ limit: -1 }, NOW), { name: 'JournalQueryError' });
  assert.throws(() => compileQuery({ limit: 1.5 }, NOW), { name: 'JournalQueryError' });
  assert.throws(() => compileQuery({ order: 'up' as 'asc' }, NOW), { name: 'JournalQueryError' });
});

// The reference: a plain filter over the list of entries as written.
function naive(all: JournalEntry[], q: JournalQuery): JournalEntry[] {
  const units = q.unit === undefined ? undefined : [q.unit].flat();
  const since = q.since === undefined ? -Infinity : Date.parse(q.since as string);
  const until = q.until === undefined ? Infinity : Date.parse(q.until as string);
  const text = q.text?.toLowerCase() ?? '';
  let out = all.filter(
    (e) =>
      (!units || units.includes(e.unit)) &&
      levelRank(e.level) >= levelRank(q.minLevel ?? 'debug') &&
      Date.parse(e.time) >= since &&
      Date.parse(e.time) <= until &&
      (e.message.toLowerCase().includes(text) || Object.values(e.fields).some((v) => v.toLowerCase().includes(text))),
  );
  if (q.order === 'desc') out = out.reverse();
  return out.slice(0, q.limit ?? Infinity);
}

const UNITS = ['web', 'db', 'cron', 'ssh'];
const entryArb = fc.record({
  unit: fc.constantFrom(...UNITS),
  level: fc.constantFrom(...LEVELS),
  message: fc.stringMatching(/^[a-cA-C ]{0,12}$/),
  tag: fc.stringMatching(/^[a-cA-C]{0,4}$/),
  // Mostly forward, sometimes backwards (an NTP step), so segment time ranges overlap.
  step: fc.integer({ min: -5_000, max: 60_000 }),
});
const T0 = Date.parse('2026-11-26T10:00:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();
const queryArb = fc.record(
  {
    unit: fc.oneof(fc.constantFrom(...UNITS), fc.subarray(UNITS)),
    minLevel: fc.constantFrom(...LEVELS),
    since: fc.integer({ min: -10_000, max: 3_000_000 }).map((d) => iso(T0 + d)),
    until: fc.integer({ min: -10_000, max: 3_000_000 }).map((d) => iso(T0 + d)),
    text: fc.stringMatching(/^[a-cA-C]{1,2}$/),
    limit: fc.nat({ max: 30 }),
    order: fc.constantFrom('asc' as const, 'desc' as const),
  },
  { requiredKeys: [] },
);

test('query equals a naive filter over the entries written, across sealed segments', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(entryArb, { minLength: 1, maxLength: 150, size: 'max' }),
      fc.array(fc.tuple(queryArb, fc.option(fc.nat()), fc.option(fc.nat())), { minLength: 1, maxLength: 8 }),
      async (entries, rawQueries) => {
      // Small segments (4 KiB) so that queries cross several sealed ones and skip by name.
      const { journal, clock } = await memJournal({ maxBytes: 1 << 20, segmentBytes: 4096 });
      clock.t = T0;
      const written: JournalEntry[] = [];
      for (const e of entries) {
        clock.t += e.step;
        written.push(journal.write({ unit: e.unit, level: e.level, message: e.message + ' '.repeat(30), fields: { tag: e.tag } }));
      }
      // Bounds exactly at an entry's time catch off-by-one errors at segment edges.
      const at = (n: number | null) => (n === null ? undefined : written[n % written.length]!.time);
      const queries = rawQueries.map(([q, s, u]) => ({ ...q, ...(s !== null && { since: at(s) }), ...(u !== null && { until: at(u) }) }));
      try {
        for (const q of queries) assert.deepEqual(await journal.list(q), naive(written, q), JSON.stringify(q));
      } finally {
        await journal.close();
      }
    }),
    // Shrinking 150-entry journals takes minutes; the first counterexample is readable as it is.
    { numRuns: 60, endOnFailure: true },
  );
});

test('a query with since skips sealed segments entirely before it', async () => {
  const { journal, clock, fs } = await memJournal({ maxBytes: 1 << 20, segmentBytes: 4096 });
  for (let i = 0; i < 2000; i++) {
    clock.t += 1000;
    journal.write({ unit: 'u', message: `m${i}` });
  }
  await journal.flush();
  let opened = 0;
  const counting = { ...fs, readChunks: (p: string, n?: number) => (opened++, fs.readChunks(p, n)) };
  const { queryFiles } = await import('./query.js');
  const got = [];
  for await (const e of queryFiles({ dir: journal.dir, fs: counting, now: clock.now }, { since: '-10s' })) got.push(e);
  assert.deepEqual(got.map((e) => e.message), Array.from({ length: 11 }, (_, i) => `m${1989 + i}`));
  assert.ok(opened <= 2, `read ${opened} segments for the last 10 seconds`);
  await journal.close();
});

test('since and until at every entry time, segment edges included, match the naive filter', async () => {
  const { journal, clock } = await memJournal({ maxBytes: 1 << 20, segmentBytes: 4096 });
  const written: JournalEntry[] = [];
  for (let i = 0; i < 300; i++) {
    clock.t += i % 37 === 0 ? -20_000 : 1000; // an occasional step back, as after an NTP correction
    written.push(journal.write({ unit: 'u', message: `m${i} ${'.'.repeat(20)}` }));
  }
  for (const e of written) {
    assert.deepEqual(await journal.list({ since: e.time }), naive(written, { since: e.time }), `since ${e.time}`);
    assert.deepEqual(await journal.list({ until: e.time, order: 'desc' }), naive(written, { until: e.time, order: 'desc' }), `until ${e.time}`);
  }
  await journal.close();
});
