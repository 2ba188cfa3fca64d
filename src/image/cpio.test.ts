import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { archivePath, completeEntries, writeCpio, type CpioEntry } from './cpio.js';
import { execText } from './exec.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'cpio-test-'));

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
});
