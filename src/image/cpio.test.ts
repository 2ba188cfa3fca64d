import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { archivePath, completeEntries, cpioArchive, writeCpio, type CpioEntry } from './cpio.js';
import { execText } from './exec.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'cpio-test-'));

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

describe('newc cpio writer', () => {
  it('writes device nodes, symlinks and files that GNU cpio lists back', async () => {
    const d = tmp();
    writeFileSync(join(d, 'src'), 'payload');
    const entries: CpioEntry[] = [
      { type: 'char', path: 'dev/console', mode: 0o600, major: 5, minor: 1 },
      { type: 'file', path: '/usr/bin/x', mode: 0o755, source: join(d, 'src') },
      { type: 'symlink', path: 'bin/sh', target: 'busybox' },
      { type: 'data', path: 'etc/hello', mode: 0o644, data: Buffer.from('hi\n') },
    ];
    writeCpio(join(d, 'a.cpio'), entries, 1700000000);
    const list = await execText('cpio', ['-itv', '--quiet', '-F', join(d, 'a.cpio')]);
    assert.match(list, /^crw------- .* 5,\s+1 .* dev\/console$/m);
    assert.match(list, /^lrwxrwxrwx .* bin\/sh -> busybox$/m);
    assert.match(list, /^-rwxr-xr-x .* 7 .* usr\/bin\/x$/m);
    const names = (await execText('cpio', ['-it', '--quiet', '-F', join(d, 'a.cpio')])).split('\n');
    assert.deepEqual(names, ['bin', 'bin/sh', 'dev', 'dev/console', 'etc', 'etc/hello', 'usr', 'usr/bin', 'usr/bin/x']);
    const out = join(d, 'x');
    await execText('sh', ['-c', `mkdir ${out} && cd ${out} && cpio -id --quiet etc/hello < ${join(d, 'a.cpio')}`]);
    assert.equal(readFileSync(join(out, 'etc/hello'), 'utf8'), 'hi\n');
  });

  it('gives the same bytes for the same entries in any order', () => {
    const d = tmp();
    const e: CpioEntry[] = [{ type: 'data', path: 'b', mode: 0o644, data: Buffer.from('1') }, { type: 'dir', path: 'a/c' }];
    writeCpio(join(d, '1'), e, 5);
    writeCpio(join(d, '2'), [...e].reverse(), 5);
    assert.deepEqual(readFileSync(join(d, '1')), readFileSync(join(d, '2')));
  });

  it('refuses paths that leave the root', () => {
    assert.throws(() => archivePath('../etc/passwd'));
    assert.throws(() => archivePath('/'));
    assert.equal(archivePath('/a//b/./c'), 'a/b/c');
  });

  it('always lists parents before children (property)', () => {
    const seg = fc.stringMatching(/^[a-z.-]{1,4}$/).filter((s) => s !== '.' && s !== '..');
    fc.assert(fc.property(fc.array(fc.array(seg, { minLength: 1, maxLength: 4 }), { maxLength: 20 }), (paths) => {
      const entries = completeEntries(paths.map((p) => ({ type: 'dir', path: p.join('/') })));
      const seen = new Set<string>();
      for (const e of entries) {
        const parent = e.path.includes('/') ? e.path.slice(0, e.path.lastIndexOf('/')) : null;
        if (parent !== null) assert.ok(seen.has(parent), `${parent} before ${e.path}`);
        seen.add(e.path);
      }
    }));
  });

  it('round-trips entries through the newc format in memory (property)', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ name: fc.stringMatching(/^[a-z0-9._-]{1,40}$/), data: fc.uint8Array({ maxLength: 300 }) }), { maxLength: 8 }),
      (files) => {
        const entries: CpioEntry[] = files.map((f, i) => ({ type: 'data', path: `d/${i}-${f.name}`, data: f.data, mode: 0o755 }));
        const back = readCpio(cpioArchive([{ type: 'dir', path: 'd' }, ...entries]));
        assert.equal(back.length, files.length + 1);
        files.forEach((f, i) => {
          assert.equal(back[i + 1]!.name, `d/${i}-${f.name}`);
          assert.deepEqual(new Uint8Array(back[i + 1]!.data), f.data);
          assert.equal(back[i + 1]!.mode, 0o100755);
        });
      },
    ));
  });

  it('gives device nodes and symlinks their kind, default modes, and drops leading slashes', () => {
    const back = readCpio(cpioArchive([
      { type: 'char', path: '/dev/console', major: 5, minor: 1 },
      { type: 'symlink', path: 'bin/sh', target: 'busybox' },
      { type: 'data', path: 'etc/motd', data: 'hi' },
    ]));
    const byName = new Map(back.map((e) => [e.name, e]));
    assert.deepEqual(back.map((e) => e.name), ['bin', 'bin/sh', 'dev', 'dev/console', 'etc', 'etc/motd']);
    assert.equal(byName.get('dev/console')!.mode, 0o020600);
    assert.deepEqual(byName.get('dev/console')!.rdev, [5, 1]);
    assert.equal(byName.get('bin/sh')!.mode & 0o170000, 0o120000);
    assert.equal(byName.get('bin/sh')!.data.toString(), 'busybox');
    assert.equal(byName.get('etc/motd')!.mode, 0o100644);
  });

  it('writes the same bytes to a file as in memory', () => {
    const d = tmp();
    const e: CpioEntry[] = [{ type: 'data', path: 'a/b', data: 'x' }, { type: 'symlink', path: 'l', target: 'a' }];
    const size = writeCpio(join(d, 'f'), e, 7);
    assert.equal(size, readFileSync(join(d, 'f')).length);
    assert.deepEqual(readFileSync(join(d, 'f')), cpioArchive(e, 7));
  });
});
