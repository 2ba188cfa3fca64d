// The real network interface and controller against a real DHCP server: inside a private network and
// UTS namespace (busybox unshare -n -u, root only), over a veth pair, so the host is never touched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireHost } from '../../testkit/prerequisite.js';

const CHILD = fileURLToPath(new URL('../../testkit/core/services/netns-child.js', import.meta.url));
const applets = existsSync('/bin/busybox') ? spawnSync('/bin/busybox', ['--list'], { encoding: 'utf8' }).stdout.split('\n') : [];
const APPLETS = ['unshare', 'udhcpd', 'udhcpc', 'ip'];

test('DHCP lease, host name, lo, static address and default route through busybox, in a namespace', (t) => {
  if (requireHost(t, 'root', process.getuid?.() === 0, 'needs root (network namespaces)')) return;
  if (requireHost(t, 'busybox', APPLETS.every((a) => applets.includes(a)), `needs /bin/busybox with ${APPLETS.join(', ')}`)) return;
  const dir = mkdtempSync(join(tmpdir(), 'netns-'));
  const hostBefore = readFileSync('/proc/sys/kernel/hostname', 'utf8');
  try {
    const r = spawnSync('/bin/busybox', ['unshare', '-n', '-u', process.execPath, CHILD, dir], { encoding: 'utf8', timeout: 90_000 });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    const got = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as {
      dhcp: { state: string; reason: string }; leased: string[]; static: string[]; route: string; hostname: string; lo: string[];
    };
    assert.equal(got.dhcp.state, 'running', got.dhcp.reason);
    assert.match(got.dhcp.reason, /^hostname dlg-ns; lo up; v0 192\.168\.77\.(5\d|60)\/24 by DHCP \(router 192\.168\.77\.1, dns 192\.168\.77\.1, lease 3600 s\)/);
    assert.match(got.leased[0] ?? '', /^192\.168\.77\.(5\d|60)\/24$/);
    assert.deepEqual(got.static, ['192.168.78.2/24']);
    assert.match(got.route, /default via 192\.168\.78\.1 dev v0/);
    assert.equal(got.hostname, 'dlg-ns');
    assert.deepEqual(got.lo, ['127.0.0.1/8']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(readFileSync('/proc/sys/kernel/hostname', 'utf8'), hostBefore, 'the host name outside the namespace is unchanged');
});
