// The debugfs FileSystem against real ext4 images: the store's operations round-trip, and e2fsck finds
// the filesystem clean afterwards (link counts, ".." entries, bitmaps).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeExt4 } from './data-partition.js';
import { DebugfsFileSystem } from './debugfs-fs.js';
import { buildDisk, MiB } from './disk.js';
import { openDataPartition } from './disk-access.js';
import { execTool } from './exec.js';
import type { FileSystem } from './fs-shape.js';

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');
const codeOf = (e: unknown) => (e as { code?: unknown }).code;

async function ext4(sizeMiB: number): Promise<{ dir: string; image: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'debugfs-test-'));
  const seed = join(dir, 'seed');
  mkdirSync(join(seed, 'dialogos'), { recursive: true });
  writeFileSync(join(seed, 'dialogos', 'boot.json'), '{"menuTimeoutMs":1000}\n');
  await makeExt4(seed, join(dir, 'data.ext4'), sizeMiB * MiB, 'test-seed', 1700000000);
  return { dir, image: join(dir, 'data.ext4') };
}

async function fsckClean(spec: string): Promise<void> {
  await execTool('e2fsck', ['-fn', spec]); // exit 0 only when clean
}

async function exercise(fs: FileSystem): Promise<void> {
  assert.equal(text(await fs.readFile('/dialogos/boot.json')), '{"menuTimeoutMs":1000}\n');
  await fs.mkdir('/dialogos/store/staging/t1/tree/bin');
  await fs.writeFile('/dialogos/store/staging/t1/tree/bin/x.mjs', 'console.log(1)\n', { mode: 0o755 });
  await fs.writeFile('/dialogos/store/staging/t1/manifest.json', new Uint8Array(70_000).fill(65));
  await fs.mkdir('/dialogos/store/gens');
  await fs.rename('/dialogos/store/staging/t1', '/dialogos/store/gens/g1-abc');
  assert.deepEqual(await fs.readdir('/dialogos/store/gens/g1-abc'), ['manifest.json', 'tree']);
  assert.deepEqual(await fs.stat('/dialogos/store/gens/g1-abc/tree/bin/x.mjs'), { kind: 'file', size: 15, mode: 0o755 });
  assert.equal((await fs.readFile('/dialogos/store/gens/g1-abc/manifest.json')).length, 70_000);
  assert.equal(await fs.exists('/dialogos/store/staging/t1'), false);
  // state.json the store's way: write tmp, fsync, rename over, fsync dir
  await fs.writeFile('/dialogos/store/state.json', '{"v":1}');
  await fs.writeFile('/dialogos/store/state.json.tmp', '{"v":2}');
  await fs.fsyncFile('/dialogos/store/state.json.tmp');
  await fs.rename('/dialogos/store/state.json.tmp', '/dialogos/store/state.json');
  await fs.fsyncDir('/dialogos/store');
  assert.equal(text(await fs.readFile('/dialogos/store/state.json')), '{"v":2}');
  await fs.appendFile('/dialogos/store/state.json', '!');
  assert.equal(text(await fs.readFile('/dialogos/store/state.json')), '{"v":2}!');
  await assert.rejects(fs.writeFile('/dialogos/store/state.json', 'x', { exclusive: true }), (e) => codeOf(e) === 'EEXIST');
  await assert.rejects(fs.readFile('/dialogos/nope'), (e) => codeOf(e) === 'ENOENT');
  await assert.rejects(fs.writeFile('/dialogos/no/such', 'x'), (e) => codeOf(e) === 'ENOENT');
  await fs.symlink('state.json', '/dialogos/store/link');
  assert.equal((await fs.lstat('/dialogos/store/link')).kind, 'symlink');
  assert.equal((await fs.stat('/dialogos/store/link')).size, 8);
  await fs.chmod('/dialogos/store/state.json', 0o600);
  assert.equal((await fs.stat('/dialogos/store/state.json')).mode, 0o600);
  const chunks: number[] = [];
  for await (const c of fs.readChunks('/dialogos/store/gens/g1-abc/manifest.json', 32768)) chunks.push(c.length);
  assert.deepEqual(chunks, [32768, 32768, 4464]);
  await fs.rm('/dialogos/store/gens');
  await fs.rm('/dialogos/store/gens');
  assert.deepEqual(await fs.readdir('/dialogos/store'), ['link', 'staging', 'state.json']);
}

describe('DebugfsFileSystem', () => {
  it('round-trips the store operations in a bare ext4 image and leaves it clean', async () => {
    const { image } = await ext4(32);
    await exercise(new DebugfsFileSystem(image));
    await fsckClean(image);
  });

  it('works on the data partition inside a GPT disk image, addressed by offset', async () => {
    const { dir, image } = await ext4(16);
    const esp = join(dir, 'esp');
    writeFileSync(esp, Buffer.alloc(0));
    await execTool('truncate', ['-s', '2M', esp]);
    const disk = join(dir, 'disk.img');
    const layout = await buildDisk({ espImage: esp, espSize: 2 * MiB, dataImage: image, dataSize: 16 * MiB, seed: 's' }, disk);
    const fs = openDataPartition(disk);
    assert.equal(fs.offset, layout.dataOffset);
    await exercise(fs);
    await fsckClean(`${disk}?offset=${layout.dataOffset}`);
  });
});
