// Cgroups compliance against the in-memory implementation and whatever real hierarchy this host has.
import { rmdir } from 'node:fs/promises';
import { cgroupsCompliance, type CgroupsFixture } from '../../testkit/core/services/compliance-cgroups.js';
import { MemoryCgroups } from '../../testkit/core/services/cgroups-memory.js';
import { detectCgroups } from './cgroups-detect.js';
import { openCgroupV2 } from './cgroups-v2.js';
import { openCgroupV1Memory } from './cgroups-v1.js';
import { MemoryRunner } from '../../testkit/core/services/runner-memory.js';
import { createNodeRunner } from './runner-node.js';
import type { Cgroups } from './ports.js';
import { readFile } from 'node:fs/promises';

const env = { PATH: '/usr/bin:/bin' };
// Allocates and touches 16 MiB at a time, far past any test limit; prints nothing, exits 0 if it survives.
const HOG = "const a=[];for(let i=0;i<64;i++)a.push(Buffer.alloc(16<<20,1));";

function realFixture(cgroups: Cgroups, root: string): CgroupsFixture {
  const runner = createNodeRunner();
  return {
    cgroups,
    startIn: (unit, procs) => runner.spawn({ unit, command: 'sleep', args: ['1000'], env, cgroupProcs: procs }),
    hogIn: (unit, procs) => runner.spawn({ unit, command: process.execPath, args: ['-e', HOG], env, cgroupProcs: procs }),
    cleanup: () => rmdir(root).catch(() => undefined),
  };
}

cgroupsCompliance('in-memory', async () => {
  const runner = new MemoryRunner();
  const cgroups = new MemoryCgroups((pid) => runner.procs.find((p) => p.pid === pid)?.die('SIGKILL'));
  // After the fixture has attached the pid, as the kernel kills only members.
  runner.program('hog', (ctl) => setImmediate(() => cgroups.oom(ctl.req.unit)));
  const join = async (unit: string, command: string) => {
    const h = await runner.spawn({ unit, command, args: [], env });
    await cgroups.attach(unit, h.pid);
    return h;
  };
  return { cgroups, startIn: (u) => join(u, 'sleep'), hogIn: (u) => join(u, 'hog') };
});

const mounts = async (type: string): Promise<string[]> =>
  (await readFile('/proc/self/mounts', 'utf8')).split('\n').map((l) => l.split(' ')).filter((f) => f[2] === type).map((f) => f[1]!);

cgroupsCompliance('cgroup v2 (real)', async () => {
  if (process.getuid?.() !== 0) return 'not root: cannot create cgroups here';
  const [m] = await mounts('cgroup2');
  if (!m) return 'no cgroup2 file system is mounted on this host';
  const root = `${m}/dialogos-test-${process.pid}`;
  const cg = await openCgroupV2(root);
  if (!cg.available) return `cgroup v2 unusable: ${cg.reason}`;
  return realFixture(cg, root);
});

cgroupsCompliance('cgroup v1 memory fallback (real)', async () => {
  if (process.getuid?.() !== 0) return 'not root: cannot create cgroups here';
  const [m] = (await mounts('cgroup')).filter((d) => d.endsWith('/memory'));
  if (!m) return 'no cgroup v1 memory hierarchy is mounted on this host (a cgroup v2 host uses the v2 suite)';
  const own = (await readFile('/proc/self/cgroup', 'utf8')).split('\n').find((l) => l.split(':')[1]?.split(',').includes('memory'))?.split(':')[2] ?? '/';
  const root = `${m}${own === '/' ? '' : own}/dialogos-test-${process.pid}`;
  const cg = await openCgroupV1Memory(root);
  if (typeof cg === 'string') return cg;
  return realFixture(cg, root);
});

cgroupsCompliance('detected (what dialogosd would use here)', async () => {
  if (process.getuid?.() !== 0) return 'not root: cannot create cgroups here';
  const v2Root = process.env.DIALOGOS_TEST_CGROUP_V2_ROOT;
  const cg = await detectCgroups({ instance: `test-${process.pid}-d`, ...(v2Root ? { v2Root: `${v2Root}-d${process.pid}` } : {}) });
  if (!cg.available) return `no usable cgroups: ${cg.reason}`;
  process.stderr.write(`# detected cgroups: ${cg.description}\n`);
  return realFixture(cg, cg.description.match(/ at (\S+)/)?.[1] ?? '/nonexistent');
});
