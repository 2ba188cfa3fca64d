// A real kill -9 of a process writing in a tight loop, three times over the same directory: each time
// the journal opens, and every entry up to the last durable seq the writer reported is there, intact
// and in order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openJournal, openJournalReader } from './journal.js';
import { messageOf } from '../../testkit/core/journal/mem-journal.js';

const CHILD = fileURLToPath(new URL('../../testkit/core/journal/kill-child.js', import.meta.url));

/** Runs the child until it reports `durable` at least `ahead` past where it started, then SIGKILLs it. */
async function runAndKill(dir: string, round: number, ahead: number): Promise<number> {
  const child = spawn(process.execPath, [CHILD, dir, String(round)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let start = -1;
  let durable = 0;
  let buf = '';
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buf += chunk;
    const lines = buf.split('\n');
    buf = lines.pop()!;
    for (const l of lines) {
      const [word, n] = l.split(' ');
      if (word === 'ready') start = Number(n);
      if (word === 'durable') durable = Number(n);
    }
    if (start >= 0 && durable >= start + ahead) child.kill('SIGKILL');
  });
  const sig = await exited;
  clearTimeout(timer);
  assert.equal(sig, 'SIGKILL');
  assert.ok(durable >= start + ahead, `the writer reached ${durable} (from ${start}) within the limit`);
  return durable;
}

test('kill -9 of a writer in a tight loop loses nothing it had synced, three times over', { timeout: 180_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'journal-kill-'));
  try {
    for (let round = 1; round <= 3; round++) {
      const durable = await runAndKill(dir, round, 20_000 * round);
      const j = await openJournal({ dir, maxBytes: 64 * 1024 * 1024, segmentBytes: 256 * 1024 });
      const all = await j.list();
      await j.close();
      const seqs = all.map((e) => e.seq);
      assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1), `round ${round}: seq 1..n, no gap, in order`);
      assert.ok(seqs.length >= durable, `round ${round}: ${seqs.length} entries kept, ${durable} were reported durable`);
      const loop = all.filter((e) => e.unit === 'loop' && e.fields.round === String(round));
      loop.forEach((e, i) => {
        assert.equal(e.fields.k, String(i + 1), `round ${round}: the writer's entries are contiguous`);
        assert.equal(e.message, messageOf(i + 1), `round ${round}: entry ${e.seq} intact`);
      });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a reader in this process follows the files of a writer in another process, across rotations', { timeout: 120_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'journal-xfollow-'));
  const child = spawn(process.execPath, [CHILD, dir, '1'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ac = new AbortController();
  try {
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const got: { seq: number; k: number; message: string }[] = [];
    const limit = setTimeout(() => ac.abort(), 60_000);
    for await (const e of openJournalReader({ dir }).follow({ unit: 'loop' }, { pollMs: 10, signal: ac.signal })) {
      got.push({ seq: e.seq, k: Number(e.fields.k), message: e.message });
      if (got.length === 20_000) break;
    }
    clearTimeout(limit);
    assert.equal(got.length, 20_000, 'followed 20000 entries within the limit');
    const k0 = got[0]!.k;
    got.forEach((e, i) => {
      assert.equal(e.k, k0 + i, 'contiguous: nothing skipped at a rotation or a poll boundary');
      assert.equal(e.message, messageOf(e.k));
    });
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    else child.emit('exit');
    await exited;
    await rm(dir, { recursive: true, force: true });
  }
});
