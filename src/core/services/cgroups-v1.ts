// Fallback for hosts that mount cgroup v1 (this build host does): the memory controller only, one
// group per service under a root inside dialogosd's own memory cgroup. cpu and pids are reported as
// unsupported rather than half-done in a second hierarchy.
import { mkdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { counter, readPids, readText, signalAll, writeControl } from './cgroups-fs.js';
import { CgroupError } from './errors.js';
import type { AppliedLimits, Cgroups } from './ports.js';

const ONLY_MEMORY = 'the cgroup v1 fallback applies memory limits only';

export async function openCgroupV1Memory(root: string): Promise<Cgroups | string> {
  try {
    await mkdir(root, { recursive: true });
  } catch (err) {
    return `cannot create ${root}: ${(err as NodeJS.ErrnoException).code ?? err}`;
  }
  if ((await readText(join(root, 'memory.limit_in_bytes'))) === null) return `${root} is not in a cgroup v1 memory hierarchy`;
  const dir = (unit: string): string => join(root, unit);
  return {
    description: `cgroup v1 (memory only) at ${root}`,
    available: true,
    controllers: ['memory'],
    async create(unit, limits) {
      try {
        await mkdir(dir(unit), { recursive: true });
      } catch (err) {
        throw new CgroupError(`Cannot create the cgroup of service "${unit}": ${(err as Error).message}`, { cause: err });
      }
      const out: AppliedLimits = { mode: 'cgroup v1 (memory only)', applied: {}, unsupported: [] };
      if (limits.cpuMax) out.unsupported.push({ limit: 'cpuMax', reason: ONLY_MEMORY });
      if (limits.pids) out.unsupported.push({ limit: 'pids', reason: ONLY_MEMORY });
      // memsw must stay >= the memory limit, so order the writes by direction; -1 is "no limit".
      const mem = limits.memoryBytes ? String(limits.memoryBytes) : '-1';
      const memsw = join(dir(unit), 'memory.memsw.limit_in_bytes');
      const hasSwapCtl = (await readText(memsw)) !== null;
      const first = await writeControl(join(dir(unit), 'memory.limit_in_bytes'), mem);
      if (hasSwapCtl) await writeControl(memsw, mem);
      const p = first && (await writeControl(join(dir(unit), 'memory.limit_in_bytes'), mem));
      if (limits.memoryBytes) {
        if (p) out.unsupported.push({ limit: 'memoryBytes', reason: p });
        else out.applied.memoryBytes = limits.memoryBytes;
      }
      return { procs: [join(dir(unit), 'cgroup.procs')], limits: out };
    },
    async attach(unit, pid) {
      const p = await writeControl(join(dir(unit), 'cgroup.procs'), String(pid));
      if (p) throw new CgroupError(`Cannot move pid ${pid} into the cgroup of service "${unit}": ${p}`);
    },
    procs: (unit) => readPids(join(dir(unit), 'cgroup.procs')),
    async oomKills(unit) {
      return counter(await readText(join(dir(unit), 'memory.oom_control')), 'oom_kill');
    },
    async killAll(unit) {
      signalAll(await readPids(join(dir(unit), 'cgroup.procs')));
    },
    async remove(unit) {
      try {
        await rmdir(dir(unit));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return;
        throw new CgroupError(`Cannot remove the cgroup of service "${unit}": ${code}`, { cause: err });
      }
    },
  };
}
