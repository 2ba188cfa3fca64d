import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readExt4Label } from './data-partition.js';
import { createNodePlatform } from './platform-node.js';
import { requireHost } from '../testkit/prerequisite.js';

test('reads the label of a real ext4 image made by mkfs.ext4, and null for other bytes', (t) => {
  const mkfs = spawnSync('mkfs.ext4', ['-V'], { encoding: 'utf8' });
  if (requireHost(t, 'mkfs.ext4', !mkfs.error, 'mkfs.ext4 is not installed (Debian package e2fsprogs)')) return;
  const dir = mkdtempSync(join(tmpdir(), 'dialogos-label-'));
  try {
    const img = join(dir, 'data.img');
    const r = spawnSync('mkfs.ext4', ['-q', '-F', '-L', 'DIALOGOS_DATA', img, '2M'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const p = createNodePlatform();
    assert.equal(readExt4Label(p, img), 'DIALOGOS_DATA');
    writeFileSync(join(dir, 'zero.img'), Buffer.alloc(4096));
    assert.equal(readExt4Label(p, join(dir, 'zero.img')), null);
    assert.equal(readExt4Label(p, join(dir, 'missing.img')), null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
