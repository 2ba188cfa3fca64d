// The base layer carries what the evaluator's sandbox needs inside the OS (issue 10 item 1): the native jail
// built from native/jail.c and the busybox applets the sandbox's setup script calls (preflight's TOOLS).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { findHostInputs } from './host.js';
import { BUSYBOX_APPLETS, initramfsEntries, JAIL_PATH } from './initramfs.js';
import { buildNative } from './inputs.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'initramfs-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the initramfs ships the sandbox jail and the sandbox setup\'s tools', async () => {
  const native = await buildNative(repo, join(dir, 'native'));
  const entries = await initramfsEntries({ host: findHostInputs(), ...native, stage: join(repo, 'package.json'), compression: 'lz4' }, join(dir, 'mod'), join(dir, 'cache'));
  const paths = new Set(entries.map((e) => e.path));
  assert.ok(paths.has(JAIL_PATH), `no ${JAIL_PATH}`);
  for (const tool of ['unshare', 'mount', 'umount', 'timeout', 'chown', 'xargs', 'awk', 'sort', 'cp', 'env']) {
    assert.ok(BUSYBOX_APPLETS.includes(tool) && paths.has(`bin/${tool}`), `no bin/${tool} in the initramfs`);
  }
});
