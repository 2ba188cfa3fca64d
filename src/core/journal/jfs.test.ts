// One compliance suite for the journal's two extra file calls, run against the real and in-memory file systems.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryFileSystem } from '../../gen/index.js';
import { journalFsOver, nodeJournalFs, type JournalFs } from './jfs.js';

async function readAllFrom(fs: JournalFs, p: string, offset: number): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const c of fs.readFrom(p, offset)) parts.push(c);
  return Buffer.concat(parts).toString();
}

async function compliance(fs: JournalFs, dir: string): Promise<void> {
  const p = `${dir}/seg`;
  await fs.writeFile(p, 'hello world');
  await fs.appendFile(p, '!');
  assert.equal(await readAllFrom(fs, p, 0), 'hello world!');
  assert.equal(await readAllFrom(fs, p, 6), 'world!');
  assert.equal(await readAllFrom(fs, p, 12), '');
  assert.equal(await readAllFrom(fs, p, 100), '');
  await fs.truncate(p, 5);
  assert.equal((await fs.stat(p)).size, 5);
  await fs.appendFile(p, '+');
  assert.equal(await readAllFrom(fs, p, 0), 'hello+');
  await assert.rejects(readAllFrom(fs, `${dir}/missing`, 0), (e: { code?: string }) => e.code === 'ENOENT');
}

test('journal fs calls: in memory', async () => {
  const mem = createMemoryFileSystem();
  await mem.mkdir('/j');
  await compliance(journalFsOver(mem), '/j');
});

test('journal fs calls: real files', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'journal-fs-'));
  try {
    await compliance(nodeJournalFs(), dir);
    assert.equal(nodeJournalFs(), nodeJournalFs(), 'one shared object, which the writer lock keys on');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
