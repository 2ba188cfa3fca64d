import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { BUSYBOX, markerInitramfs } from './initramfs.js';

test('the marker initramfs holds busybox, /init with the marker, and the console device', () => {
  const bytes = markerInitramfs({ marker: 'MARK-42', after: 'echo done' });
  const d = mkdtempSync(join(tmpdir(), 'marker-initramfs-'));
  const list = execFileSync('cpio', ['-itv', '--quiet'], { input: bytes, cwd: d, encoding: 'utf8' });
  assert.match(list, /^crw------- .* 5,\s+1 .* dev\/console$/m);
  assert.match(list, /^crw-rw-rw- .* 1,\s+3 .* dev\/null$/m);
  assert.match(list, /^-rwxr-xr-x .* bin\/busybox$/m);
  execFileSync('cpio', ['-id', '--quiet', 'init', 'bin/busybox'], { input: bytes, cwd: d });
  assert.match(readFileSync(join(d, 'init'), 'utf8'), /^echo "MARK-42"\necho done\n/m);
  assert.deepEqual(readFileSync(join(d, 'bin/busybox')), readFileSync(BUSYBOX));
});
