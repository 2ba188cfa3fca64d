import { test } from 'node:test';
import assert from 'node:assert/strict';
import { journalFsOver } from './jfs.js';
import { DIR, memJournal } from '../../testkit/core/journal/mem-journal.js';
import { createMemoryFileSystem } from '../../gen/index.js';

test('a disk that fails and comes back loses no entries and leaves no duplicates', async () => {
  const mem = createMemoryFileSystem();
  const base = journalFsOver(mem);
  let failures = 3;
  const errors: unknown[] = [];
  // Fails by writing half the batch first, as a full disk can.
  const flaky = {
    ...base,
    async appendFile(p: string, d: Uint8Array | string) {
      if (failures > 0 && p.endsWith('.jnl')) {
        failures--;
        const b = typeof d === 'string' ? Buffer.from(d) : d;
        await base.appendFile(p, b.subarray(0, Math.floor(b.length / 2)));
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      }
      return base.appendFile(p, d);
    },
  };
  const { journal } = await memJournal({ fs: flaky, onError: (e) => errors.push(e) }, mem);
  for (let i = 1; i <= 20; i++) journal.write({ unit: 'u', message: `m${i}` });
  for (let attempt = 0; attempt < 3; attempt++) await assert.rejects(journal.flush(), { name: 'JournalError', message: /Cannot append to journal segment/ });
  for (let i = 21; i <= 30; i++) journal.write({ unit: 'u', message: `m${i}` });
  await journal.sync();
  const got = await journal.list();
  assert.deepEqual(got.map((e) => e.message), Array.from({ length: 30 }, (_, i) => `m${i + 1}`));
  await journal.close();
});

test('under overload entries are dropped, counted, and the count is written once the disk catches up', async () => {
  const { journal } = await memJournal({ maxPendingBytes: 10_000 });
  let dropped = 0;
  // A synchronous burst never lets the writer reach the disk.
  for (let i = 0; i < 1000; i++) if (journal.write({ unit: 'burst', message: 'x'.repeat(100) }).seq === 0) dropped++;
  assert.ok(dropped > 800, `${dropped} dropped`);
  await journal.flush();
  journal.write({ unit: 'burst', message: 'after' });
  const notes = await journal.list({ unit: 'journal' });
  assert.equal(notes.length, 1);
  assert.equal(notes[0]!.fields.dropped, String(dropped));
  assert.equal(notes[0]!.level, 'warn');
  const all = await journal.list();
  assert.deepEqual(all.map((e) => e.seq), Array.from({ length: all.length }, (_, i) => i + 1), 'no gaps in seq');
  assert.equal(all.at(-1)!.message, 'after');
  await journal.close();
  assert.equal(DIR, journal.dir);
});
