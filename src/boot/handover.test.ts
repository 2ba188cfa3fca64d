import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { fakeManifest } from '../testkit/boot/fake-store.js';
import { mainArgv, treePath } from './handover.js';
import { kexecArgv } from './kexec.js';

const gen = (over = {}) => ({ id: 'g1-abc', treeDir: '/data/t', manifest: fakeManifest(over) });

test('main runs with the base node from /dialogos', () => {
  assert.deepEqual(mainArgv(gen({ entry: { main: 'core/main.js', args: ['--x', 'y'] } })), ['/usr/bin/node', '/dialogos/core/main.js', '--x', 'y']);
  assert.throws(() => mainArgv(gen({ entry: { main: 'a', args: ['x\0y'] } })), { name: 'HandoverError' });
});

test('kexec argv appends dialogos.gen and uses - for no initrd', () => {
  assert.deepEqual(kexecArgv(gen({ kernel: { image: 'k/vmlinuz', initrd: null, cmdline: 'console=ttyS0' } })),
    ['/usr/lib/dialogos/kexec', '/data/t/k/vmlinuz', '-', 'console=ttyS0 dialogos.gen=g1-abc']);
  assert.throws(() => kexecArgv(gen({ kernel: { image: '/etc/shadow', initrd: null, cmdline: '' } })), { name: 'HandoverError' });
});

test('property: a tree path that is accepted never leaves the tree', () => {
  const seg = fc.constantFrom('a', 'b', '.', '..', '', '/', 'x.js', '\0');
  fc.assert(fc.property(fc.array(seg, { maxLength: 8 }), (parts) => {
    const path = parts.join('');
    let ok = true;
    try { treePath('g', 'entry.main', path); } catch (err) { ok = false; assert.equal((err as Error).name, 'HandoverError'); }
    if (ok) {
      const resolved = new URL(path, 'file:///tree/').pathname;
      assert.ok(resolved.startsWith('/tree/') && !path.startsWith('/') && !path.includes('\0'), path);
    }
  }), { numRuns: 3000 });
});
