import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyDisk } from './harness.js';

test('a raw copy keeps content and holes; an overlay is qcow2 backed by the original', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dialogos-copy-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const src = join(dir, 'disk.img');
  execFileSync('truncate', ['-s', '64M', src]);
  writeFileSync(join(dir, 'block'), 'DIALOGOS');
  execFileSync('dd', [`if=${join(dir, 'block')}`, `of=${src}`, 'bs=1M', 'seek=10', 'conv=notrunc', 'status=none']);
  assert.equal(copyDisk(src, join(dir, 'copy.img'), 'copy'), 'raw');
  const copy = readFileSync(join(dir, 'copy.img'));
  assert.equal(copy.length, 64 * 1024 * 1024);
  assert.equal(copy.toString('ascii', 10 * 1024 * 1024, 10 * 1024 * 1024 + 8), 'DIALOGOS');
  assert.ok(statSync(join(dir, 'copy.img')).blocks * 512 < 8 * 1024 * 1024, 'the copy is sparse');
  assert.equal(copyDisk(src, join(dir, 'over.qcow2'), 'overlay'), 'qcow2');
  const info = JSON.parse(execFileSync('qemu-img', ['info', '--output=json', join(dir, 'over.qcow2')], { encoding: 'utf8' })) as Record<string, unknown>;
  assert.equal(info['format'], 'qcow2');
  assert.equal(info['backing-filename'], src);
});
