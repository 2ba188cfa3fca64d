// Host mode: the generation's default entropy spec keeps a seed in the instance's state, and a network
// or time spec is reported, not applied (a host instance leaves the host's network and clock alone).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { startInstance, type Instance } from '../testkit/core/hostkit.js';
import { requireHost } from '../testkit/prerequisite.js';

const DEFAULTS = fileURLToPath(new URL('../../defaults/specs', import.meta.url));

describe('host mode: mount, network, time and entropy specs', () => {
  const instances: Instance[] = [];
  const mounts: string[] = [];
  after(async () => {
    // A failed test must not leave a tmpfs on the state directory (its removal would fail).
    for (const m of mounts) spawnSync('/bin/busybox', ['umount', '-l', m]);
    for (const i of instances) await i.dispose();
  });

  it('seeds from the default entropy spec, refreshes the seed on restart, and leaves the host network alone', async () => {
    const i = await startInstance(['--defaults', DEFAULTS]);
    instances.push(i);
    const seedPath = join(i.state, 'random-seed');
    const e = await i.waitUnit('entropy', (s) => s.state === 'running');
    assert.match(e.reason, /none yet \(first boot\)/);
    assert.match(e.reason, /kernel RNG (initialised|not initialised yet|state unknown)/);
    const seed = await readFile(seedPath);
    assert.equal(seed.length, 512);
    assert.equal((await stat(seedPath)).mode & 0o777, 0o600);

    const hostBefore = (await readFile('/proc/sys/kernel/hostname', 'utf8')).trim();
    assert.equal((await i.apply([{ kind: 'network', hostname: 'dlg-must-not-change', interfaces: [{ name: 'lo', mode: 'dhcp' }] }, { kind: 'time', timezone: 'UTC' }])).code, 0);
    const n = await i.waitUnit('network', (s) => s.state === 'unsupported');
    assert.match(n.reason, /host instance leaves the host's network and host name alone/);
    assert.match((await i.unit('time')).reason, /clock and time zone alone/);
    assert.equal((await readFile('/proc/sys/kernel/hostname', 'utf8')).trim(), hostBefore);

    assert.equal((await i.stop()).code, 0);
    const r = await i.cli('host', 'start', '--defaults', DEFAULTS);
    assert.equal(r.code, 0, r.stderr);
    assert.match((await i.waitUnit('entropy', (s) => s.state === 'running')).reason, /512 bytes mixed into the kernel pool/);
    assert.notDeepEqual(await readFile(seedPath), seed, 'the seed was replaced');
  });

  /** A host instance with a tmpfs mount spec applied; the target is unmounted after the suite whatever happens. */
  async function withMountSpec(): Promise<{ i: Instance; target: string }> {
    const i = await startInstance();
    instances.push(i);
    const target = join(i.state, 'mnt', 'scratch');
    mounts.push(target);
    assert.equal((await i.apply([{ kind: 'mount', name: 'scratch', source: 'dlg-scratch', type: 'tmpfs', target, options: ['size=1m'] }])).code, 0);
    return { i, target };
  }
  const mounted = async (target: string): Promise<boolean> =>
    (await readFile('/proc/self/mounts', 'utf8')).split('\n').some((l) => l.split(' ')[1] === target);

  it('mounts a tmpfs as root and svc rm mount/NAME unmounts it', async (t) => {
    if (requireHost(t, 'root', process.getuid?.() === 0, 'mounting needs root')) return;
    const { i, target } = await withMountSpec();
    const s = await i.waitUnit('scratch', (u) => u.state === 'running');
    assert.match(s.reason, /mounted dlg-scratch \(tmpfs, size=1m\) on /);
    assert.ok(await mounted(target));
    const r = await i.cli('svc', 'rm', 'mount/scratch');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /removed mount\/scratch/);
    assert.equal(await mounted(target), false, 'unmounted on removal');
    assert.equal((await i.cli('svc', 'show', 'scratch')).code, 3);
  });

  // The refusal only happens without root; as root there is nothing to refuse, so a plain skip (not strict).
  it('refuses a mount spec without root, saying it needs root, and mounts nothing', async (t) => {
    if (requireHost(t, 'not root', process.getuid?.() !== 0, 'runs only without root (as root the mount is made)', { expected: false })) return;
    const { i, target } = await withMountSpec();
    assert.match((await i.waitUnit('scratch', (s) => s.state !== 'starting')).reason, /needs root/);
    assert.equal(await mounted(target), false, 'nothing mounted');
  });
});
