import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cpioArchive, type CpioEntry } from './cpio.js';

/** A reader for what the writer makes, as the kernel parses newc. */
function readCpio(buf: Buffer): Array<{ name: string; mode: number; data: Buffer; rdev: [number, number] }> {
  const out = [];
  let off = 0;
  const align = (n: number): number => (n + 3) & ~3;
  for (;;) {
    assert.equal(buf.toString('ascii', off, off + 6), '070701');
    const field = (i: number): number => parseInt(buf.toString('ascii', off + 6 + i * 8, off + 14 + i * 8), 16);
    const mode = field(1);
    const size = field(6);
    const nameLen = field(11);
    const name = buf.toString('utf8', off + 110, off + 110 + nameLen - 1);
    const dataOff = align(off + 110 + nameLen);
    if (name === 'TRAILER!!!') return out;
    out.push({ name, mode, data: buf.subarray(dataOff, dataOff + size), rdev: [field(9), field(10)] as [number, number] });
    off = align(dataOff + size);
  }
}

test('entries round-trip through the newc format', () => {
  fc.assert(fc.property(
    fc.array(fc.record({ name: fc.stringMatching(/^[a-z0-9._-]{1,40}$/), data: fc.uint8Array({ maxLength: 300 }) }), { maxLength: 8 }),
    (files) => {
      const entries: CpioEntry[] = files.map((f, i) => ({ kind: 'file', path: `d/${i}-${f.name}`, data: f.data, mode: 0o755 }));
      const back = readCpio(cpioArchive([{ kind: 'dir', path: 'd' }, ...entries]));
      assert.equal(back.length, files.length + 1);
      files.forEach((f, i) => {
        assert.equal(back[i + 1]!.name, `d/${i}-${f.name}`);
        assert.deepEqual(new Uint8Array(back[i + 1]!.data), f.data);
        assert.equal(back[i + 1]!.mode, 0o100755);
      });
    },
  ));
});

test('device nodes and symlinks carry their kind; leading slashes are dropped', () => {
  const back = readCpio(cpioArchive([
    { kind: 'chardev', path: '/dev/console', major: 5, minor: 1 },
    { kind: 'symlink', path: 'bin/sh', target: 'busybox' },
  ]));
  assert.equal(back[0]!.name, 'dev/console');
  assert.equal(back[0]!.mode, 0o020600);
  assert.deepEqual(back[0]!.rdev, [5, 1]);
  assert.equal(back[1]!.mode & 0o170000, 0o120000);
  assert.equal(back[1]!.data.toString(), 'busybox');
});
