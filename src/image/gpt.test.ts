import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, closeSync, openSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { DiskLayoutError } from './errors.js';
import { execTool } from './exec.js';
import { findPartition, parseGpt, readPartitions } from './gpt.js';

describe('GPT reader', () => {
  it('reads the partitions sgdisk wrote', async () => {
    const img = join(mkdtempSync(join(tmpdir(), 'gpt-test-')), 'd.img');
    const fd = openSync(img, 'w'); ftruncateSync(fd, 8 * 1024 * 1024); closeSync(fd);
    await execTool('sgdisk', ['-n', '1:2048:4095', '-t', '1:EF00', '-c', '1:ESP', '-n', '2:4096:10239', '-t', '2:8300', '-c', '2:dialogos-data', img]);
    const parts = readPartitions(img);
    assert.deepEqual(parts.map((p) => [p.index, p.name, p.offset, p.size]), [[1, 'ESP', 1048576, 1048576], [2, 'dialogos-data', 2097152, 3145728]]);
    assert.equal(parts[0]!.typeGuid, 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B');
    assert.throws(() => findPartition(img, 'nope'), DiskLayoutError);
  });

  it('refuses arbitrary bytes with DiskLayoutError, never another error (property)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2048 }), fc.boolean(), (bytes, sign) => {
      const buf = Buffer.alloc(34 * 512);
      Buffer.from(bytes).copy(buf, 0);
      if (sign) buf.write('EFI PART', 512, 'latin1');
      try { parseGpt(buf); } catch (e) { assert.ok(e instanceof DiskLayoutError, String(e)); }
    }));
  });
});
