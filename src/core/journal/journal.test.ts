import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryFileSystem, withCrashAt } from '../../gen/index.js';
import { journalFsOver } from './jfs.js';
import { openJournal } from './journal.js';
import { DIR, memJournal, messageOf, segmentSizes } from '../../testkit/core/journal/mem-journal.js';

const quiet = { onError: () => undefined };

test('entries round-trip through the files and seq continues after reopen', async () => {
  const { journal, fs, mem, clock } = await memJournal();
  const written = [];
  for (let i = 1; i <= 50; i++) {
    clock.t += 7;
    written.push(journal.write({ unit: i % 2 ? 'web' : 'db', level: 'info', message: messageOf(i), fields: { i: String(i) } }));
  }
  await journal.close();
  assert.deepEqual(written.map((e) => e.seq), Array.from({ length: 50 }, (_, i) => i + 1));
  const again = await openJournal({ dir: DIR, fs, now: clock.now });
  assert.deepEqual(await again.list(), written);
  assert.equal(again.write({ unit: 'web', message: 'next' }).seq, 51);
  await again.close();
  assert.ok(await mem.exists(`${DIR}/writer.lock`) === false, 'the lock is released on close');
});

test('rotation keeps the total under the budget and deletes the oldest segments', async () => {
  const maxBytes = 64 * 1024;
  const { journal, fs } = await memJournal({ maxBytes, segmentBytes: 8 * 1024 });
  for (let i = 1; i <= 3000; i++) {
    journal.write({ unit: 'chatty', message: messageOf(i) });
    if (i % 100 === 0) {
      await journal.flush();
      const sizes = await segmentSizes(fs);
      const total = sizes.reduce((n, s) => n + s.size, 0);
      assert.ok(total <= maxBytes, `total ${total} over budget after ${i} entries`);
      assert.ok(sizes.every((s) => s.size <= 8 * 1024), 'no segment over its cap');
      assert.equal(journal.stats().storedBytes, total, 'the writer tracks the real sizes');
    }
  }
  const all = await journal.list();
  const seqs = all.map((e) => e.seq);
  assert.equal(seqs[seqs.length - 1], 3000, 'the newest entries are kept');
  assert.ok(seqs[0]! > 1, 'the oldest entries were rotated away');
  assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i), 'what remains is contiguous');
  for (const e of all) assert.equal(e.message, messageOf(e.seq));
  await journal.close();
});

test('a torn last record, cut at every byte, is dropped on open and nothing before it is lost', async () => {
  const { journal, fs, mem, clock } = await memJournal();
  for (let i = 1; i <= 5; i++) journal.write({ unit: 'u', message: messageOf(i), fields: { k: 'v' } });
  await journal.close();
  const [seg] = await segmentSizes(fs);
  const path = `${DIR}/${seg!.name}`;
  const bytes = await mem.readFile(path);
  const lastStart = bytes.lastIndexOf(0x0a, bytes.length - 2) + 1;
  for (let cut = lastStart; cut < bytes.length; cut++) {
    const m = mem.clone();
    await m.writeFile(path, bytes.slice(0, cut));
    const j = await openJournal({ dir: DIR, fs: journalFsOver(m), now: clock.now });
    const seen = (await j.list({ unit: 'u' })).map((e) => e.seq);
    assert.deepEqual(seen, [1, 2, 3, 4], `cut at ${cut}`);
    const next = j.write({ unit: 'u', message: 'after' });
    // The torn seq 5 was never durable and is reused, by the recovery notice when there was a tail.
    assert.equal(next.seq, cut > lastStart ? 6 : 5);
    const after = await j.list({ unit: 'u' });
    assert.deepEqual(after.map((e) => e.message), [1, 2, 3, 4].map((i) => messageOf(i)).concat('after'), `cut at ${cut}`);
    if (cut > lastStart) {
      const notes = await j.list({ unit: 'journal' });
      assert.match(notes[0]?.message ?? '', /truncated a torn tail of \d+ byte/);
    }
    await j.close();
  }
});

test('a power cut at any write step loses nothing that was synced, and the journal reopens', async () => {
  // Count the steps of the scenario once, then cut at each of them.
  const scenario = async (k: number) => {
    const mem = createMemoryFileSystem();
    const crashing = withCrashAt(mem, k);
    let durable = 0;
    try {
      const j = await openJournal({ dir: DIR, fs: journalFsOver(crashing), syncIntervalMs: 1e6, maxBytes: 16 * 1024, segmentBytes: 4096, ...quiet });
      for (let i = 1; i <= 120; i++) {
        j.write({ unit: 'u', message: messageOf(i, 200) });
        if (i % 10 === 0) {
          await j.sync();
          durable = j.stats().durableSeq;
        }
      }
      await j.close();
    } catch (err) {
      if ((err as Error).name !== 'SimulatedCrashError' && !String((err as Error).cause).includes('Simulated')) throw err;
    }
    return { mem, steps: crashing.steps, durable, crashed: crashing.crashed };
  };
  const full = await scenario(Infinity);
  assert.ok(full.steps > 30, `the scenario has ${full.steps} write steps`);
  const whole = await openJournal({ dir: DIR, fs: journalFsOver(full.mem), lock: false });
  assert.ok((await whole.list())[0]!.seq > 1, 'the scenario rotates segments away, so cuts land inside deletions too');
  for (let k = 1; k <= full.steps; k++) {
    const { mem, durable, crashed } = await scenario(k);
    assert.ok(crashed, `step ${k} crashed`);
    const j = await openJournal({ dir: DIR, fs: journalFsOver(mem), maxBytes: 16 * 1024, segmentBytes: 4096, ...quiet });
    const seqs = (await j.list({ unit: 'u' })).map((e) => e.seq);
    const entries = await j.list({ unit: 'u' });
    for (const e of entries) assert.equal(e.message, messageOf(e.seq, 200), `step ${k}: entry ${e.seq} intact`);
    if (seqs.length > 0) {
      assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i), `step ${k}: contiguous and in order`);
    }
    assert.ok((seqs[seqs.length - 1] ?? 0) >= durable, `step ${k}: synced entries up to ${durable} survive (got ${seqs.at(-1)})`);
    if (durable > 0) assert.ok(seqs.length > 0 && seqs[0]! <= durable, `step ${k}: not everything rotated away`);
    const newest = (await j.list({ order: 'desc', limit: 1 }))[0]?.seq ?? 0;
    assert.ok(newest >= (seqs.at(-1) ?? 0));
    const next = j.write({ unit: 'u', message: 'after' });
    assert.equal(next.seq, newest + 1, `step ${k}: seq continues`);
    await j.close();
  }
});

test('a malformed entry is refused with a named error and does not disturb the journal', async () => {
  const { journal } = await memJournal();
  journal.write({ unit: 'ok', message: 'one' });
  const bad: unknown[] = [
    { unit: '', message: 'x' },
    { unit: 'has space', message: 'x' },
    { unit: 'u', level: 'loud', message: 'x' },
    { unit: 'u', message: 42 },
    { unit: 'u', message: 'x', fields: { n: 1 } },
    { unit: 'u', message: 'x', fields: { 'bad name': 'v' } },
    null,
  ];
  for (const b of bad) assert.throws(() => journal.write(b as never), { name: 'JournalEntryError' });
  const huge = journal.write({ unit: 'u', message: 'y'.repeat(200_000), fields: { __proto__: 'not a prototype' } as never });
  assert.equal(huge.message.length, 64 * 1024);
  assert.equal(huge.fields.truncated, 'true');
  const all = await journal.list();
  assert.deepEqual(all.map((e) => e.seq), [1, 2]);
  assert.equal(all[1]!.message.length, 64 * 1024);
  await journal.close();
  assert.throws(() => journal.write({ unit: 'u', message: 'late' }), { name: 'JournalClosedError' });
});

test('a second writer on the same directory is refused while the first lives', async () => {
  const { journal, fs } = await memJournal();
  await assert.rejects(openJournal({ dir: DIR, fs }), { name: 'JournalLockedError' });
  await journal.close();
  const mem = createMemoryFileSystem();
  await mem.mkdir(DIR);
  await mem.writeFile(`${DIR}/writer.lock`, '999999\n');
  const fs2 = journalFsOver(mem);
  await assert.rejects(openJournal({ dir: DIR, fs: fs2, isAlive: () => true }), { name: 'JournalLockedError', message: /process 999999 holds it/ });
  const taken = await openJournal({ dir: DIR, fs: fs2, isAlive: () => false });
  await taken.close();
});
