// DebugfsFileSystem's batching against real ext4 images: a cross-parent directory rename of a large
// tree takes a bounded number of debugfs runs and leaves e2fsck clean with every file in place, and a
// failing line in a flushed batch fails the flushing call, naming the command.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBatch, spawnRunner, type DebugfsRunner } from './debugfs-batch.js';
import { makeExt4 } from './data-partition.js';
import { DebugfsFileSystem } from './debugfs-fs.js';
import { MiB } from './disk.js';
import { execTool } from './exec.js';

async function ext4(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'debugfs-batch-test-'));
  mkdirSync(join(dir, 'seed', 'work'), { recursive: true });
  await makeExt4(join(dir, 'seed'), join(dir, 'fs.ext4'), 64 * MiB, 'batch-test', 1700000000);
  return join(dir, 'fs.ext4');
}

function counting(): { runner: DebugfsRunner; runs: () => number } {
  let n = 0;
  return { runner: (argv, input) => (n++, spawnRunner(argv, input)), runs: () => n };
}

/** 200 files in nested directories; one directory holds 120 long names (several directory blocks). */
function treeFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (let i = 0; i < 120; i++) files.set(`many/${'n'.repeat(40)}-${String(i).padStart(3, '0')}.js`, `file ${i}\n`.repeat(i % 7));
  for (let i = 0; i < 80; i++) files.set(`d${i % 4}/sub${i % 3}/deep/f${i}`, `nested ${i}`);
  return files;
}

describe('DebugfsFileSystem batching', () => {
  it('renames a 200-file tree to another parent in a few debugfs runs, moving every file, e2fsck clean', async () => {
    const image = await ext4();
    const { runner, runs } = counting();
    const fs = new DebugfsFileSystem(image, 0, { runner });
    const files = treeFiles();
    await fs.mkdir('/work/staging/t1/tree');
    const before = runs();
    for (const [path, text] of files) {
      await fs.mkdir(join('/work/staging/t1/tree', path, '..'));
      await fs.writeFile(`/work/staging/t1/tree/${path}`, text, { mode: path.endsWith('.js') ? 0o755 : 0o644 });
      await fs.chmod(`/work/staging/t1/tree/${path}`, path.endsWith('.js') ? 0o755 : 0o644);
      await fs.fsyncFile(`/work/staging/t1/tree/${path}`);
    }
    assert.equal(runs(), before, 'writes under a directory this instance made are queued, not run');
    await fs.chmod('/work/staging/t1/tree/d1', 0o700);
    await fs.mkdir('/work/gens');
    const beforeRename = runs();
    await fs.rename('/work/staging/t1', '/work/gens/g1');
    // the queued writes, phase 1 (mkdir + ln), phase 2 (unlink + rmdir); a retry or two at most
    assert.ok(runs() - beforeRename <= 5, `rename took ${runs() - beforeRename} debugfs runs`);
    assert.equal(await fs.exists('/work/staging/t1'), false);
    await execTool('e2fsck', ['-fn', image]);

    // A fresh instance knows nothing: everything is read from the image.
    const fresh = new DebugfsFileSystem(image);
    assert.deepEqual(await fresh.readdir('/work/staging'), []);
    assert.equal((await fresh.stat('/work/gens/g1/tree/d1')).mode, 0o700);
    for (const [path, text] of files) {
      assert.equal((await fresh.readFile(`/work/gens/g1/tree/${path}`)).toString(), text, path);
      assert.equal((await fresh.lstat(`/work/gens/g1/tree/${path}`)).mode, path.endsWith('.js') ? 0o755 : 0o644);
    }
  });

  it('renames a tree it has not seen with a number of runs bounded by its directories', async () => {
    const image = await ext4();
    const writer = new DebugfsFileSystem(image);
    await writer.mkdir('/work/a/tree');
    for (const [path, text] of treeFiles()) {
      await writer.mkdir(join('/work/a/tree', path, '..'));
      await writer.writeFile(`/work/a/tree/${path}`, text);
    }
    await writer.mkdir('/work/b');
    await writer.flush();
    const { runner, runs } = counting();
    const fs = new DebugfsFileSystem(image, 0, { runner });
    await fs.rename('/work/a/tree', '/work/b/tree');
    // a listing and a stat per directory, plus a few for the paths and the two phases
    const dirs = new Set(['']);
    for (const path of treeFiles().keys()) for (let p = path; p.includes('/'); ) dirs.add((p = p.slice(0, p.lastIndexOf('/'))));
    assert.equal(dirs.size, 30);
    assert.ok(runs() <= 2 * dirs.size + 6, `rename took ${runs()} debugfs runs`);
    await execTool('e2fsck', ['-fn', image]);
    const check = new DebugfsFileSystem(image);
    for (const [path, text] of treeFiles()) assert.equal((await check.readFile(`/work/b/tree/${path}`)).toString(), text);
  });

  it('fails the flushing call when a queued line fails, naming the command', async () => {
    const image = await ext4();
    const fs = new DebugfsFileSystem(image);
    await fs.mkdir('/work/x');
    await fs.flush();
    for (let i = 0; i < 4; i++) await fs.writeFile(`/work/x/f${i}`, `a${i}`);
    // Another writer makes f4 behind this instance's back, so its queued `write` of f4 fails.
    const other = new DebugfsFileSystem(image);
    await other.writeFile('/work/x/f4', 'theirs');
    await other.flush();
    for (let i = 4; i < 8; i++) await fs.writeFile(`/work/x/f${i}`, `a${i}`);
    await assert.rejects(fs.fsyncDir('/work/x'), (e: Error & { code?: string }) => {
      assert.equal(e.name, 'ImageFsError');
      assert.match(e.message, /line 5 "write "[^"]+" "\/work\/x\/f4"" failed: .*exists/);
      return true;
    });
    // The lines after the failing one were applied; what the instance knew is forgotten.
    assert.deepEqual(await fs.readdir('/work/x'), ['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7']);
    assert.equal((await fs.readFile('/work/x/f4')).toString(), 'theirs');
    assert.equal((await fs.readFile('/work/x/f7')).toString(), 'a7');
  });

  it('undoes the links of a rename whose link fails, losing nothing', async () => {
    const image = await ext4();
    const fs = new DebugfsFileSystem(image);
    await fs.mkdir('/work/s/t/u');
    for (let i = 0; i < 10; i++) await fs.writeFile(`/work/s/t/${i % 2 ? 'u/' : ''}f${i}`, `v${i}`);
    await fs.mkdir('/work/g');
    await fs.flush();
    // Another writer removes f5 behind this instance's back, so linking it fails mid-rename.
    const other = new DebugfsFileSystem(image);
    await other.rm('/work/s/t/u/f5');
    await assert.rejects(fs.rename('/work/s', '/work/g/s'), /"ln "\/work\/s\/t\/u\/f5" "\/work\/g\/s\/t\/u\/f5"" failed/);
    await execTool('e2fsck', ['-fn', image]);
    const check = new DebugfsFileSystem(image);
    assert.deepEqual(await check.readdir('/work/g'), []);
    assert.deepEqual(await check.readdir('/work/s/t/u'), ['f1', 'f3', 'f7', 'f9']);
    for (const i of [0, 1, 2, 3, 4, 6, 7, 8, 9]) assert.equal((await check.readFile(`/work/s/t/${i % 2 ? 'u/' : ''}f${i}`)).toString(), `v${i}`);
  });

  it('writes what is still queued when the process exits', async () => {
    const image = await ext4();
    const module = new URL('./debugfs-fs.js', import.meta.url).href;
    const script = `const { DebugfsFileSystem } = await import(${JSON.stringify(module)});
      const fs = new DebugfsFileSystem(${JSON.stringify(image)});
      await fs.mkdir('/work/q/r');
      await fs.writeFile('/work/q/r/f', 'queued');`;
    await execTool(process.execPath, ['--input-type=module', '-e', script]);
    assert.equal((await new DebugfsFileSystem(image).readFile('/work/q/r/f')).toString(), 'queued');
  });

  it('attributes each error line to the command echoed before it', () => {
    const out = [
      'debugfs 1.47.0 (5-Feb-2023)', 'debugfs: mkdir "/a"', 'debugfs: write "/tmp/1" "/a/f"', 'Allocated inode: 14',
      'debugfs: mkdir "/a"', 'ext2fs_mkdir: Ext2 directory already exists while creating directory "a"',
      'mkdir: Ext2 directory already exists ', 'debugfs: ln "/nope" "/a/g"', '/nope: File not found by ext2_lookup ', '',
    ].join('\n');
    const fake: DebugfsRunner = () => ({ stdout: Buffer.from(out), stderr: Buffer.alloc(0), status: 0 });
    const failures = runBatch(fake, 'img', ['mkdir "/a"', 'write "/tmp/1" "/a/f"', 'mkdir "/a"', 'ln "/nope" "/a/g"'], true);
    assert.deepEqual(failures.map((f) => [f.index, f.command]), [[2, 'mkdir "/a"'], [3, 'ln "/nope" "/a/g"']]);
    assert.match(failures[0]!.message, /already exists/);
    const cut: DebugfsRunner = () => ({ stdout: Buffer.from('debugfs: mkdir "/a"\n'), stderr: Buffer.alloc(0), status: 0 });
    assert.throws(() => runBatch(cut, 'img', ['mkdir "/a"', 'mkdir "/b"'], true), /stopped before "mkdir "\/b""/);
  });
});
