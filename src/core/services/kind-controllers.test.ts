// The mount, network, time and entropy controllers against in-memory OS interfaces.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { entropyController, SEED_BYTES } from './kind-entropy.js';
import { mountController } from './kind-mount.js';
import { networkController } from './kind-network.js';
import { timeController } from './kind-time.js';
import { entropySchema, mountSchema, networkSchema, timeSchema } from './schema.js';
import { StatusBoard } from './status.js';
import { MemoryEntropy, MemoryMounts, MemoryNet, MemoryTime } from '../../testkit/core/services/sysops-memory.js';

const now = (): number => Date.parse('2026-11-26T10:00:00Z');
const net = (v: object) => networkSchema.parse({ kind: 'network', ...v });

describe('network controller', () => {
  it('sets the host name, brings lo up, and configures DHCP and static interfaces', async () => {
    const ops = new MemoryNet(['lo', 'eth0', 'eth1']);
    ops.servers.set('eth0', { address: '10.0.2.15/24', router: '10.0.2.2', dns: ['10.0.2.3'], leaseSeconds: 86400 });
    const c = networkController(ops, { sleep: async () => undefined });
    const board = new StatusBoard();
    await c.reconcile([net({ hostname: 'node1', interfaces: [{ name: 'eth0', mode: 'dhcp' }, { name: 'eth1', mode: 'static', address: '192.168.7.2/24' }] })], board, now);
    assert.equal(board.get('network', 'network')?.state, 'starting');
    await c.idle();
    const s = board.get('network', 'network')!;
    assert.equal(s.state, 'running', s.reason);
    assert.match(s.reason, /hostname node1; lo up; eth0 10\.0\.2\.15\/24 by DHCP \(router 10\.0\.2\.2, dns 10\.0\.2\.3, lease 86400 s\); eth1 192\.168\.7\.2\/24 static/);
    assert.equal(ops.host, 'node1');
    assert.deepEqual([...ops.up].sort(), ['eth0', 'eth1', 'lo']);
    assert.deepEqual(ops.addrs.get('eth0'), ['10.0.2.15/24']);
    assert.deepEqual(ops.route, { gateway: '10.0.2.2', ifname: 'eth0' });
    assert.deepEqual(ops.dns, ['10.0.2.3']);
  });

  it('reports each failure with its reason, keeps what worked, and retries on the next apply', async () => {
    const ops = new MemoryNet(['lo', 'eth0']);
    const c = networkController(ops, { sleep: async () => undefined, linkWaitMs: 400, dhcpTimeoutMs: 50 });
    const board = new StatusBoard();
    const spec = net({ hostname: 'n2', interfaces: [{ name: 'eth0', mode: 'dhcp' }, { name: 'wlan0', mode: 'dhcp' }] });
    await c.reconcile([spec], board, now);
    await c.idle();
    const s = board.get('network', 'network')!;
    assert.equal(s.state, 'failed');
    assert.match(s.reason, /eth0: Cannot get a DHCP lease on "eth0": no server answered within 50 ms/);
    assert.match(s.reason, /wlan0: no such interface after 400 ms \(interfaces: lo, eth0\)/);
    assert.match(s.reason, /done: hostname n2; lo up/);
    ops.servers.set('eth0', { address: '10.0.2.15/24', dns: [] });
    await c.reconcile([net({ ...spec, interfaces: [{ name: 'eth0', mode: 'dhcp' }] })], board, now);
    await c.idle();
    assert.equal(board.get('network', 'network')?.state, 'running');
  });

  it('touches nothing where unsupported or disabled, and forgets a removed spec', async () => {
    const ops = new MemoryNet();
    const board = new StatusBoard();
    const c = networkController(ops, { unsupported: 'a host instance leaves the host\'s network alone' });
    await c.reconcile([net({ hostname: 'x' })], board, now);
    assert.equal(board.get('network', 'network')?.state, 'unsupported');
    assert.equal(ops.host, 'localhost');
    await c.reconcile([net({ hostname: 'x', enabled: false })], board, now);
    assert.equal(board.get('network', 'network')?.state, 'inactive');
    await c.reconcile([], board, now);
    assert.equal(board.get('network', 'network'), undefined);
  });
});

describe('mount controller', () => {
  const m = (v: object) => mountSchema.parse({ kind: 'mount', name: 'scratch', source: 'tmpfs', type: 'tmpfs', target: '/mnt/scratch', ...v });

  it('mounts (creating the target), leaves a matching mount alone, unmounts when disabled or removed', async () => {
    const ops = new MemoryMounts();
    const board = new StatusBoard();
    const c = mountController(ops);
    await c.reconcile([m({ options: ['size=1m'] })], board, now);
    assert.equal(board.get('mount', 'scratch')?.state, 'running');
    assert.deepEqual(ops.table.get('/mnt/scratch'), { source: 'tmpfs', type: 'tmpfs', options: ['size=1m'] });
    await c.reconcile([m({ options: ['size=1m'] })], board, now);
    assert.equal(ops.table.size, 1);
    await c.reconcile([m({ options: ['size=1m'], enabled: false })], board, now);
    assert.equal(board.get('mount', 'scratch')?.state, 'inactive');
    assert.equal(ops.table.size, 0);
    await c.reconcile([m({})], board, now);
    await c.reconcile([], board, now);
    assert.equal(ops.table.size, 0, 'a removed spec is unmounted');
    assert.equal(board.get('mount', 'scratch'), undefined);
  });

  it('says why a mount failed: a missing device; a busy target blocks a change; not root', async () => {
    const ops = new MemoryMounts();
    const board = new StatusBoard();
    const warnings: string[] = [];
    const c = mountController(ops, { warn: (w) => warnings.push(w) });
    await c.reconcile([m({ source: '/dev/vdb', type: 'ext4' })], board, now);
    assert.match(board.get('mount', 'scratch')!.reason, /device \/dev\/vdb is missing/);
    await c.reconcile([m({})], board, now);
    ops.busy.add('/mnt/scratch');
    await c.reconcile([m({ options: ['ro'] })], board, now);
    assert.match(board.get('mount', 'scratch')!.reason, /cannot unmount \/mnt\/scratch to apply the change: .*busy/);
    await c.reconcile([], board, now);
    assert.match(warnings.join('\n'), /stays mounted/);
    const c2 = mountController(new MemoryMounts(), { unsupported: 'needs root' });
    await c2.reconcile([m({})], board, now);
    assert.equal(board.get('mount', 'scratch')?.state, 'unsupported');
  });
});

describe('time controller', () => {
  const t = (v: object) => timeSchema.parse({ kind: 'time', ...v });

  it('sets the zone and the clock from the RTC once, and syncs by NTP when a server answers', async () => {
    const ops = new MemoryTime();
    ops.answering.add('ntp.local');
    const board = new StatusBoard();
    const c = timeController(ops);
    await c.reconcile([t({ timezone: 'Europe/Berlin', ntpServers: ['ntp.local'] })], board, now);
    await c.idle();
    const s = board.get('time', 'time')!;
    assert.equal(s.state, 'running', s.reason);
    assert.equal(s.reason, 'time zone Europe/Berlin; clock set from the RTC; NTP: synced from ntp.local');
    await c.reconcile([t({ timezone: 'UTC' })], board, now);
    await c.idle();
    assert.equal(ops.synced, 1, 'the RTC is read once per dialogosd start');
    assert.equal(ops.tz, 'UTC');
  });

  it('reports an unreachable server, a missing NTP client, a missing RTC and an unknown zone', async () => {
    const board = new StatusBoard();
    const ops = new MemoryTime();
    ops.rtc = false;
    const c = timeController(ops, { ntpTimeoutMs: 20 });
    await c.reconcile([t({ timezone: 'Mars/Olympus', ntpServers: ['10.9.9.9'] })], board, now);
    await c.idle();
    const s = board.get('time', 'time')!;
    assert.equal(s.state, 'failed');
    assert.match(s.reason, /time zone "Mars\/Olympus": unknown/);
    assert.match(s.reason, /clock not set from the RTC: .*no \/dev\/rtc0/);
    assert.match(s.reason, /NTP: Cannot reach any NTP server \(10\.9\.9\.9\) within 20 ms/);
    const c2 = timeController(new MemoryTime('busybox has no ntpd applet'));
    await c2.reconcile([t({ ntpServers: ['a'] })], board, now);
    await c2.idle();
    assert.match(board.get('time', 'time')!.reason, /NTP: busybox has no ntpd applet/);
  });
});

describe('entropy controller', () => {
  const e = (v: object = {}) => entropySchema.parse({ kind: 'entropy', ...v });

  it('first boot writes a seed; the next boot mixes the saved one in and replaces it; one seed is never used twice', async () => {
    const ops = new MemoryEntropy();
    const board = new StatusBoard();
    await entropyController(ops).reconcile([e()], board, now);
    const first = ops.files.get('/data/dialogos/random-seed')!;
    assert.equal(first.length, SEED_BYTES);
    assert.match(board.get('entropy', 'entropy')!.reason, /none yet \(first boot\).*kernel RNG initialised \(entropy_avail 256\)/);
    const c = entropyController(ops); // the next boot: a new dialogosd
    await c.reconcile([e()], board, now);
    assert.deepEqual(ops.mixed.at(-1), first);
    const second = ops.files.get('/data/dialogos/random-seed')!;
    assert.notDeepEqual(second, first);
    assert.match(board.get('entropy', 'entropy')!.reason, /512 bytes mixed into the kernel pool \(not credited\) and replaced/);
    await c.reconcile([e()], board, now);
    assert.equal(ops.mixed.length, 1, 'an apply in the same boot does not reseed');
  });

  it('reports an uninitialised RNG and a seed path moved for host mode', async () => {
    const ops = new MemoryEntropy();
    ops.avail = 40;
    const board = new StatusBoard();
    await entropyController(ops, { seedPath: () => '/state/random-seed' }).reconcile([e()], board, now);
    assert.ok(ops.files.has('/state/random-seed'));
    assert.match(board.get('entropy', 'entropy')!.reason, /not initialised yet \(entropy_avail 40\)/);
  });
});
