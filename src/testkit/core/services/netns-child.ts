// Test fixture, run by sysops-netns.test.ts inside a private network and UTS namespace (`busybox unshare
// -n -u`): a veth pair with a busybox udhcpd on one end, then the real network controller (busybox ip,
// udhcpc, /proc host name) on the other. Prints one JSON line with what it saw. Never run it outside a
// namespace: it changes the host name and links of the namespace it runs in.
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { networkController } from '../../../core/services/kind-network.js';
import { networkSchema } from '../../../core/services/schema.js';
import { StatusBoard } from '../../../core/services/status.js';
import { createNodeSysOps } from '../../../core/services/sysops-node.js';

const dir = process.argv[2]!;
const bb = '/bin/busybox';
const ip = (...a: string[]): void => { execFileSync(bb, ['ip', ...a]); };
// busybox ip names the peer veth0 whatever is asked.
ip('link', 'add', 'v0', 'type', 'veth');
ip('link', 'set', 'veth0', 'up');
ip('addr', 'add', '192.168.77.1/24', 'dev', 'veth0');
writeFileSync(join(dir, 'leases'), '');
writeFileSync(join(dir, 'udhcpd.conf'), [
  'start 192.168.77.50', 'end 192.168.77.60', 'interface veth0', `lease_file ${join(dir, 'leases')}`, `pidfile ${join(dir, 'udhcpd.pid')}`,
  'opt router 192.168.77.1', 'opt dns 192.168.77.1', 'opt subnet 255.255.255.0', 'opt lease 3600', '',
].join('\n'));
const server = spawn(bb, ['udhcpd', '-f', join(dir, 'udhcpd.conf')], { stdio: 'ignore' });

try {
  const ops = await createNodeSysOps({ runDir: join(dir, 'run') });
  const c = networkController(ops.net, { dhcpTimeoutMs: 20_000 });
  const board = new StatusBoard();
  await c.reconcile([networkSchema.parse({ kind: 'network', hostname: 'dlg-ns', interfaces: [{ name: 'v0', mode: 'dhcp' }] })], board, () => Date.now());
  await c.idle();
  const dhcp = board.get('network', 'network');
  const leased = await ops.net.addresses('v0');
  let route = '';
  try {
    await ops.net.setAddress('v0', '192.168.78.2/24');
    await ops.net.setDefaultRoute('192.168.78.1', 'v0');
    route = execFileSync(bb, ['ip', 'route', 'show', 'default'], { encoding: 'utf8' }).trim();
  } catch (err) {
    route = `${(err as Error).message}; routes: ${execFileSync(bb, ['ip', 'route'], { encoding: 'utf8' })}; links: ${execFileSync(bb, ['ip', '-o', 'link'], { encoding: 'utf8' })}`;
  }
  process.stdout.write(`${JSON.stringify({ dhcp, leased, static: await ops.net.addresses('v0'), route, hostname: await ops.net.hostname(), lo: await ops.net.addresses('lo') })}\n`);
} finally {
  server.kill('SIGKILL');
}
