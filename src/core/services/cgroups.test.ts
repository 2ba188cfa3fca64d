// Cgroups compliance against the in-memory implementation and whatever real hierarchy this host has.
// Root is expected on a strict host (src/testkit/prerequisite.ts), and so is a usable detected hierarchy
// with a memory controller; which of v2 and the v1 memory fallback a host has is its own business.
import { rmdir } from 'node:fs/promises';
import { cgroupsCompliance, type CgroupsFixture } from '../../testkit/core/services/compliance-cgroups.js';
import { MemoryCgroups } from '../../testkit/core/services/cgroups-memory.js';
import { detectCgroups } from './cgroups-detect.js';
import { openCgroupV2 } from './cgroups-v2.js';
import { openCgroupV1Memory, removeV1Roots } from './cgroups-v1.js';
import { MemoryRunner } from '../../testkit/core/services/runner-memory.js';
import { createNodeRunner } from './runner-node.js';
import type { Cgroups } from './ports.js';
import { readFile } from 'node:fs/promises';
import { prerequisite, type PrerequisiteOptions } from '../../testkit/prerequisite.js';

const env = { PATH: '/usr/bin:/bin' };
// Allocates and touches 16 MiB at a time, far past any test limit; prints nothing, exits 0 if it survives.
const HOG = "const a=[];for(let i=0;i<64;i++)a.push(Buffer.alloc(16<<20,1));";

/** The skip reason of a suite whose prerequisite is absent here (a strict host fails where it is expected). */
const absent = (what: string, reason: string, o?: PrerequisiteOptions): string => prerequisite(what, false, reason, o) || reason;
const rootMissing = (): string | false => prerequisite('root', process.getuid?.() === 0, 'not root: cannot create cgroups here');

function realFixture(cgroups: Cgroups, root: string, memoryExpected: boolean): CgroupsFixture {
  const runner = createNodeRunner();
  return {
    cgroups,
    memoryMissing: (why) => absent('a memory controller', why, { expected: memoryExpected }),
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
  const memoryMissing = (why: string): string => { throw new Error(`The in-memory cgroups must apply a memory limit: ${why}`); };
  return { cgroups, startIn: (u) => join(u, 'sleep'), hogIn: (u) => join(u, 'hog'), memoryMissing };
});

const mounts = async (type: string): Promise<string[]> =>
  (await readFile('/proc/self/mounts', 'utf8')).split('\n').map((l) => l.split(' ')).filter((f) => f[2] === type).map((f) => f[1]!);

// A host may have no v2, or (hybrid, as the build host) a v2 without controllers: not expected.
const NOT_EXPECTED = { expected: false };

cgroupsCompliance('cgroup v2 (real)', async () => {
  const noRoot = rootMissing();
  if (noRoot) return noRoot;
  const [m] = await mounts('cgroup2');
  if (!m) return absent('cgroup v2', 'no cgroup2 file system is mounted on this host', NOT_EXPECTED);
  const root = `${m}/dialogos-test-${process.pid}`;
  const cg = await openCgroupV2(root);
  if (!cg.available) return absent('cgroup v2', `cgroup v2 unusable: ${cg.reason}`, NOT_EXPECTED);
  return realFixture(cg, root, false);
});

cgroupsCompliance('cgroup v1 memory fallback (real)', async () => {
  const noRoot = rootMissing();
  if (noRoot) return noRoot;
  const [m] = (await mounts('cgroup')).filter((d) => d.endsWith('/memory'));
  if (!m) return absent('cgroup v1 memory', 'no cgroup v1 memory hierarchy is mounted on this host (a cgroup v2 host uses the v2 suite)', NOT_EXPECTED);
  const own = (await readFile('/proc/self/cgroup', 'utf8')).split('\n').find((l) => l.split(':')[1]?.split(',').includes('memory'))?.split(':')[2] ?? '/';
  const root = `${m}${own === '/' ? '' : own}/dialogos-test-${process.pid}`;
  const cg = await openCgroupV1Memory(root);
  if (typeof cg === 'string') return absent('cgroup v1 memory', cg, NOT_EXPECTED);
  return realFixture(cg, root, true);
});

cgroupsCompliance('detected (what dialogosd would use here)', async () => {
  const noRoot = rootMissing();
  if (noRoot) return noRoot;
  const v2Root = process.env.DIALOGOS_TEST_CGROUP_V2_ROOT;
  const cg = await detectCgroups({ instance: `test-${process.pid}-d`, ...(v2Root ? { v2Root: `${v2Root}-d${process.pid}` } : {}) });
  if (!cg.available) return absent('usable cgroups', `no usable cgroups: ${cg.reason}`);
  process.stderr.write(`# detected cgroups: ${cg.description}\n`);
  const fx = realFixture(cg, cg.description.match(/ at (\S+)/)?.[1] ?? '/nonexistent', true);
  // The v1 fallback also made roots in the cpu, cpuacct and pids hierarchies.
  return { ...fx, cleanup: async () => { await fx.cleanup?.(); await removeV1Roots(`dialogos-test-${process.pid}-d`); } };
});
