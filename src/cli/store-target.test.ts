// A disk image that some process holds a lock on (QEMU does) is opened read-only; /proc/locks parsing.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createMemoryFileSystem } from '../gen/index.js';
import { ImageInUseError, ext4NeedsRecovery, imageLockHolders, readOnlyFileSystem } from './store-target.js';

test('imageLockHolders reads /proc/locks lines for the file\'s inode only', () => {
  const dir = mkdtempSync(join(tmpdir(), 'locks-'));
  try {
    const f = join(dir, 'disk.img');
    writeFileSync(f, 'x');
    const { ino, dev } = statSync(f);
    const devText = `${((dev >> 8) & 0xfff).toString(16).padStart(2, '0')}:${(dev & 0xff).toString(16).padStart(2, '0')}`;
    const text = [
      `1: OFDLCK ADVISORY  READ  -1 ${devText}:${ino} 100 100`,
      `2: POSIX  ADVISORY  WRITE 4242 ${devText}:${ino + 1} 0 EOF`,
      `3: FLOCK  ADVISORY  WRITE 77 ${devText}:${ino} 0 EOF`,
      'garbage line',
    ].join('\n');
    assert.deepEqual(imageLockHolders(f, text), [-1, 77]);
    assert.deepEqual(imageLockHolders(f, ''), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a real flock on the image is seen', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'locks-'));
  const f = join(dir, 'disk.img');
  writeFileSync(f, 'x');
  const holder = spawn('flock', [f, 'sh', '-c', 'echo locked; sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    assert.ok(imageLockHolders(f).length > 0);
  } finally {
    holder.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the read-only guard refuses every change, naming the image, and still reads', async () => {
  const mem = createMemoryFileSystem();
  await mem.mkdir('/d');
  await mem.writeFile('/d/a', 'hello');
  const ro = readOnlyFileSystem(mem, 'disk.img');
  assert.equal(Buffer.from(await ro.readFile('/d/a')).toString(), 'hello');
  assert.deepEqual(await ro.readdir('/d'), ['a']);
  for (const change of [() => ro.writeFile('/d/b', 'x'), () => ro.rename('/d/a', '/d/c'), () => ro.rm('/d/a'), () => ro.mkdir('/e')]) {
    await assert.rejects(change(), (e: Error) => e instanceof ImageInUseError && /disk\.img/.test(e.message));
  }
  assert.equal(await mem.exists('/d/a'), true);
});

test('ext4NeedsRecovery reads the superblock flag a power cut leaves behind', () => {
  const dir = mkdtempSync(join(tmpdir(), 'recover-'));
  try {
    const f = join(dir, 'fs.ext4');
    execFileSync('mkfs.ext4', ['-q', '-F', f, '8M']);
    assert.equal(ext4NeedsRecovery(f, 0), false);
    execFileSync('debugfs', ['-w', '-R', 'feature needs_recovery', f], { stdio: 'ignore' });
    assert.equal(ext4NeedsRecovery(f, 0), true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
