// Fallback for hosts that mount cgroup v1 (this build host does): the memory controller only, one
// group per service under a root inside dialogosd's own memory cgroup. cpu and pids are reported as
// unsupported rather than half-done in a second hierarchy.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { counter, readText, unitGroups, writeControl } from './cgroups-fs.js';
import type { AppliedLimits, Cgroups } from './ports.js';

const ONLY_MEMORY = 'the cgroup v1 fallback applies memory limits only';

export async function openCgroupV1Memory(root: string): Promise<Cgroups | string> {
  try {
    await mkdir(root, { recursive: true });
  } catch (err) {
    return `cannot create ${root}: ${(err as NodeJS.ErrnoException).code ?? err}`;
  }
  if ((await readText(join(root, 'memory.limit_in_bytes'))) === null) return `${root} is not in a cgroup v1 memory hierarchy`;
  const groups = unitGroups(root, { killFile: false });
  const dir = groups.dir;
  return {
    description: `cgroup v1 (memory only) at ${root}`,
    available: true,
    controllers: ['memory'],
    async create(unit, limits) {
      await groups.make(unit);
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
      return { procs: [groups.procsFile(unit)], limits: out };
    },
    attach: groups.attach,
    procs: groups.procs,
    async oomKills(unit) {
      return counter(await readText(join(dir(unit), 'memory.oom_control')), 'oom_kill');
    },
    killAll: groups.killAll,
    remove: groups.remove,
  };
}
