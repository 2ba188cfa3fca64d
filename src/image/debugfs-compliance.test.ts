// The store's FileSystem compliance suite, run against the debugfs implementation over a real ext4 image.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileSystemCompliance } from '../testkit/gen/fs-compliance.js';
import { makeExt4 } from './data-partition.js';
import { DebugfsFileSystem } from './debugfs-fs.js';

fileSystemCompliance('debugfs (ext4 image)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'debugfs-compliance-'));
  mkdirSync(join(dir, 'seed', 'work'), { recursive: true });
  await makeExt4(join(dir, 'seed'), join(dir, 'fs.ext4'), 32 * 1024 * 1024, 'compliance', 1700000000);
  return { fs: new DebugfsFileSystem(join(dir, 'fs.ext4')), root: '/work', cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
});
