import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJournal, openJournalReader } from './journal.js';
import { DIR, memJournal } from '../../testkit/core/journal/mem-journal.js';
import type { JournalEntry } from './types.js';

async function take(it: AsyncIterable<JournalEntry>, n: number, limitMs = 20_000): Promise<JournalEntry[]> {
  const out: JournalEntry[] = [];
  const timer = setTimeout(() => assert.fail(`only ${out.length} of ${n} entries within ${limitMs} ms`), limitMs);
  try {
    for await (const e of it) {
      out.push(e);
      if (out.length === n) break;
    }
  } finally {
    clearTimeout(timer);
  }
  return out;
}

test('in-process follow: backlog then live entries, in order, without gap or repeat', async () => {
  const { journal } = await memJournal({ segmentBytes: 4096, maxBytes: 1 << 20 });
  for (let i = 1; i <= 10; i++) journal.write({ unit: i % 2 ? 'a' : 'b', message: `old ${i}` });
  const it = journal.follow({ unit: 'a' }, { backlog: 3 });
  const got = take(it, 3 + 50);
  // Written while the follower is still reading its backlog from the files.
  for (let i = 11; i <= 110; i++) {
    journal.write({ unit: i % 2 ? 'a' : 'b', message: `new ${i}` });
    if (i % 7 === 0) await new Promise((r) => setImmediate(r));
  }
  const seqs = (await got).map((e) => e.seq);
  const want = [5, 7, 9, ...Array.from({ length: 50 }, (_, i) => 11 + 2 * i)];
  assert.deepEqual(seqs, want);
  await journal.close();
});

test('in-process follow ends on abort and on close', async () => {
  const { journal } = await memJournal();
  const ac = new AbortController();
  const first = take(journal.follow({}, { signal: ac.signal }), 1000);
  journal.write({ unit: 'u', message: 'x' });
  setImmediate(() => ac.abort());
  assert.equal((await first).length, 1);
  const second = take(journal.follow(), 1000);
  journal.write({ unit: 'u', message: 'y' });
  await journal.close();
  assert.deepEqual((await second).map((e) => e.message), ['y']);
});

test('a slow in-process follower is told it lagged instead of growing without bound', async () => {
  const { journal } = await memJournal();
  const it = journal.follow({}, { maxQueue: 10 })[Symbol.asyncIterator]();
  const first = it.next();
  for (let i = 0; i < 30; i++) journal.write({ unit: 'u', message: String(i) });
  // The error carries the last seq delivered, from which a query with afterSeq resumes.
  await assert.rejects(first, (err: Error & { lastSeq?: number }) => err.name === 'JournalFollowLaggedError' && err.lastSeq === 0);
  await journal.close();
});

test('a file follower in another reader sees appends across rotations and a writer restart', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'journal-follow-'));
  try {
    let j = await openJournal({ dir, segmentBytes: 4096, maxBytes: 1 << 20 });
    for (let i = 1; i <= 5; i++) j.write({ unit: 'svc', message: `before ${i}` });
    await j.flush();
    const ac = new AbortController();
    const reader = openJournalReader({ dir });
    const it = reader.follow({ unit: 'svc' }, { backlog: 2, pollMs: 20, signal: ac.signal })[Symbol.asyncIterator]();
    // The backlog is in hand once the follower has found its place; the live part starts after it.
    const backlog = [(await it.next()).value as JournalEntry, (await it.next()).value as JournalEntry];
    const got = take({ [Symbol.asyncIterator]: () => it }, 300);
    for (let i = 1; i <= 200; i++) {
      j.write({ unit: 'svc', message: `live ${i} ${'-'.repeat(60)}` });
      j.write({ unit: 'other', message: 'noise' });
      if (i % 20 === 0) await j.flush();
    }
    await j.close();
    j = await openJournal({ dir, segmentBytes: 4096, maxBytes: 1 << 20 });
    for (let i = 201; i <= 300; i++) j.write({ unit: 'svc', message: `live ${i} ${'-'.repeat(60)}` });
    await j.flush();
    const entries = [...backlog, ...(await got)];
    ac.abort();
    assert.deepEqual(entries.slice(0, 2).map((e) => e.message), ['before 4', 'before 5']);
    assert.deepEqual(entries.slice(2).map((e) => e.message.split(' ').slice(0, 2).join(' ')), Array.from({ length: 300 }, (_, i) => `live ${i + 1}`));
    const seqs = entries.map((e) => e.seq);
    assert.ok(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!), 'in seq order');
    await j.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('follow with since and until: backlog from since, live entries up to until, then the end (in-process and from the files)', async () => {
  const { journal, fs, clock } = await memJournal();
  const t0 = clock.t;
  const at = (ms: number, message: string, unit = 'a'): void => { clock.t = t0 + ms; journal.write({ unit, message }); };
  at(0, 'too early');
  at(1000, 'since');
  at(1500, 'other unit', 'b');
  const q = { unit: 'a', since: t0 + 1000, until: t0 + 3000 };
  const mine = journal.follow(q, { backlog: 1000 });
  const files = openJournalReader({ dir: DIR, fs, now: clock.now }).follow(q, { backlog: 1000, pollMs: 5 });
  const collect = async (it: AsyncIterable<JournalEntry>): Promise<string[]> => { const out: string[] = []; for await (const e of it) out.push(e.message); return out; };
  const [a, b] = [collect(mine), collect(files)];
  await new Promise((r) => setImmediate(r));
  at(2000, 'live');
  at(3000, 'at until');
  at(5000, 'after until');
  await journal.flush();
  const want = ['since', 'live', 'at until'];
  assert.deepEqual(await a, want, 'the in-process follow ended by itself');
  assert.deepEqual(await b, want, 'the file follow ended by itself');
  await journal.close();
});
