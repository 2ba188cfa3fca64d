import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic, writeFileAtomicSync } from './atomic.js';

test('replaces the file whole, with the requested mode, leaving no temporary file', async () => {
  const d = await mkdtemp(join(tmpdir(), 'dialogos-atomic-'));
  const p = join(d, 'state.json');
  await writeFile(p, 'old');
  await writeFileAtomic(p, 'new content', 0o600);
  assert.equal(await readFile(p, 'utf8'), 'new content');
  assert.equal((await stat(p)).mode & 0o777, 0o600);
  await writeFileAtomic(p, new Uint8Array([1, 2, 3]));
  assert.deepEqual([...(await readFile(p))], [1, 2, 3]);
  assert.equal((await stat(p)).mode & 0o777, 0o644);
  assert.deepEqual(await readdir(d), ['state.json']);
});

test('a failed write leaves the old file and no temporary file', async () => {
  const d = await mkdtemp(join(tmpdir(), 'dialogos-atomic-'));
  const p = join(d, 'f');
  await writeFile(p, 'old');
  await assert.rejects(writeFileAtomic(join(d, 'missing', 'x'), 'data'), { code: 'ENOENT' });
  // A non-empty directory in the way: the rename fails after the temporary file was written.
  await mkdir(join(d, 'dir'));
  await writeFile(join(d, 'dir', 'child'), '');
  await assert.rejects(writeFileAtomic(join(d, 'dir'), 'data'));
  assert.equal(await readFile(p, 'utf8'), 'old');
  assert.deepEqual((await readdir(d)).sort(), ['dir', 'f']);
});

test('the sync twin replaces the file whole from several views, with the requested mode', async () => {
  const d = await mkdtemp(join(tmpdir(), 'dialogos-atomic-'));
  const p = join(d, 'model.bin');
  await writeFile(p, 'old');
  const floats = new Float32Array([1.5, -2]);
  writeFileAtomicSync(p, [Buffer.from('HD'), floats, new Uint8Array([7])], 0o600);
  const got = await readFile(p);
  assert.equal(got.length, 2 + 8 + 1);
  assert.equal(got.toString('latin1', 0, 2), 'HD');
  assert.equal(got.readFloatLE(2), 1.5);
  assert.equal(got.readFloatLE(6), -2);
  assert.equal(got[10], 7);
  assert.equal((await stat(p)).mode & 0o777, 0o600);
  writeFileAtomicSync(p, 'text');
  assert.equal(await readFile(p, 'utf8'), 'text');
  assert.equal((await stat(p)).mode & 0o777, 0o644);
  assert.deepEqual(await readdir(d), ['model.bin']);
});

test('a failed sync write leaves the old file and no temporary file', async () => {
  const d = await mkdtemp(join(tmpdir(), 'dialogos-atomic-'));
  await writeFile(join(d, 'f'), 'old');
  assert.throws(() => writeFileAtomicSync(join(d, 'missing', 'x'), 'data'), { code: 'ENOENT' });
  await mkdir(join(d, 'dir'));
  await writeFile(join(d, 'dir', 'child'), '');
  assert.throws(() => writeFileAtomicSync(join(d, 'dir'), 'data'));
  assert.equal(await readFile(join(d, 'f'), 'utf8'), 'old');
  assert.deepEqual((await readdir(d)).sort(), ['dir', 'f']);
});
