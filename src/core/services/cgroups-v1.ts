// Fallback for hosts that mount cgroup v1 (this build host does): memory, and cpu, cpuacct and pids where
// their hierarchies are mounted, one group per service under a root in each hierarchy (the memory root
// inside dialogosd's own memory cgroup). v1 keeps one tree per controller, so a unit's group is a folder
// in each, a child joins every one of them, and a controller that cannot be had is reported, not faked.
import { mkdir, readFile, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { counter, readText, unitGroups, writeControl, type UnitGroups } from './cgroups-fs.js';
import type { AppliedLimits, CgroupLimits, Cgroups, CgroupUsage } from './ports.js';

/** The root for our groups in each v1 hierarchy; co-mounted controllers (cpu,cpuacct) share one root. */
export interface CgroupV1Roots {
  memory: string;
  cpu?: string;
  cpuacct?: string;
  pids?: string;
}

type Controller = keyof CgroupV1Roots;
/** A control file that only a hierarchy with that controller has. */
const MARKER: Record<Controller, string> = {
  memory: 'memory.limit_in_bytes', cpu: 'cpu.cfs_quota_us', cpuacct: 'cpuacct.usage', pids: 'pids.max',
};

async function openRoot(c: Controller, root: string): Promise<string | null> {
  try {
    await mkdir(root, { recursive: true });
  } catch (err) {
    return `cannot create ${root}: ${(err as NodeJS.ErrnoException).code ?? err}`;
  }
  return (await readText(join(root, MARKER[c]))) === null ? `${root} is not in a cgroup v1 ${c} hierarchy` : null;
}

/** The memory-only fallback as before: kept for callers that have only the memory hierarchy. */
export const openCgroupV1Memory = (root: string): Promise<Cgroups | string> => openCgroupV1({ memory: root });

/**
 * Opens (creating them) the roots; the memory root is required, the others are used when they work.
 * @returns the Cgroups, or why the memory root cannot be used
 */
export async function openCgroupV1(roots: CgroupV1Roots): Promise<Cgroups | string> {
  const bad = await openRoot('memory', roots.memory);
  if (bad) return bad;
  const roots_ = new Map<Controller, string>([['memory', roots.memory]]);
  const missing = new Map<Controller, string>();
  for (const c of ['cpu', 'cpuacct', 'pids'] as const) {
    const root = roots[c];
    const why = root ? await openRoot(c, root) : `no cgroup v1 ${c} hierarchy is mounted`;
    if (why) missing.set(c, why);
    else roots_.set(c, root!);
  }
  return v1(roots_, missing);
}

function v1(roots: Map<Controller, string>, missing: Map<Controller, string>): Cgroups {
  // One UnitGroups per distinct folder: co-mounted controllers are one tree.
  const trees = new Map<string, UnitGroups>();
  for (const root of roots.values()) if (!trees.has(root)) trees.set(root, unitGroups(root, { killFile: false }));
  const all = [...trees.values()];
  const at = (c: Controller, unit: string, file: string): string | null => (roots.has(c) ? join(roots.get(c)!, unit, file) : null);
  const names = [...roots.keys()];
  const mode = `cgroup v1 (${names.join(' ')})`;
  const procs = async (unit: string): Promise<number[]> => [...new Set((await Promise.all(all.map((g) => g.procs(unit)))).flat())];
  return {
    description: `${mode} at ${roots.get('memory')}${missing.size ? `; missing: ${[...missing.values()].join('; ')}` : ''}`,
    available: true,
    controllers: names.filter((c) => c !== 'cpuacct'),
    async create(unit, limits) {
      for (const g of all) await g.make(unit);
      const out: AppliedLimits = { mode, applied: {}, unsupported: [] };
      await applyMemory(at('memory', unit, '')!, limits, out);
      await applyOther(roots.has('cpu') ? at('cpu', unit, '') : null, 'cpuMax', limits, out, missing.get('cpu'));
      await applyOther(roots.has('pids') ? at('pids', unit, '') : null, 'pids', limits, out, missing.get('pids'));
      return { procs: all.map((g) => g.procsFile(unit)), limits: out };
    },
    async attach(unit, pid) {
      for (const g of all) await g.attach(unit, pid);
    },
    procs,
    async oomKills(unit) {
      return counter(await readText(at('memory', unit, 'memory.oom_control')!), 'oom_kill');
    },
    async usage(unit): Promise<CgroupUsage> {
      const num = async (path: string | null): Promise<number | null> => {
        const t = path ? await readText(path) : null;
        return t === null || !/^\d+\s*$/.test(t) ? null : Number(t);
      };
      const ns = await num(at('cpuacct', unit, 'cpuacct.usage'));
      const events = at('pids', unit, 'pids.events');
      return {
        cpuMs: ns === null ? null : ns / 1e6,
        peakMemoryBytes: await num(at('memory', unit, 'memory.max_usage_in_bytes')),
        pidsLimitHits: events ? counter(await readText(events), 'max') : null,
      };
    },
    async killAll(unit) {
      // No cgroup.kill in v1: signal every member of every tree (a fork between reads is caught by the
      // caller's retry until procs() is empty).
      for (const pid of await procs(unit)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Gone already.
        }
      }
    },
    async remove(unit) {
      for (const g of all) await g.remove(unit);
    },
  };
}

async function applyMemory(dir: string, limits: CgroupLimits, out: AppliedLimits): Promise<void> {
  // memsw must stay >= the memory limit, so order the writes by direction; -1 is "no limit".
  const mem = limits.memoryBytes ? String(limits.memoryBytes) : '-1';
  const memsw = join(dir, 'memory.memsw.limit_in_bytes');
  const hasSwapCtl = (await readText(memsw)) !== null;
  const first = await writeControl(join(dir, 'memory.limit_in_bytes'), mem);
  if (hasSwapCtl) await writeControl(memsw, mem);
  const p = first && (await writeControl(join(dir, 'memory.limit_in_bytes'), mem));
  if (!limits.memoryBytes) return;
  if (p) out.unsupported.push({ limit: 'memoryBytes', reason: p });
  else out.applied.memoryBytes = limits.memoryBytes;
}

/** cpuMax as cfs period and quota ("max" is -1), pids as pids.max; unset limits are written as none. */
async function applyOther(dir: string | null, key: 'cpuMax' | 'pids', limits: CgroupLimits, out: AppliedLimits, why?: string): Promise<void> {
  const asked = limits[key];
  if (!dir) {
    if (asked !== undefined) out.unsupported.push({ limit: key, reason: why ?? `the cgroup v1 ${key === 'pids' ? 'pids' : 'cpu'} hierarchy is missing` });
    return;
  }
  let p: string | null;
  if (key === 'pids') {
    p = await writeControl(join(dir, 'pids.max'), asked ? String(asked) : 'max');
  } else {
    const [quota = 'max', period = '100000'] = String(asked ?? 'max').split(' ');
    p = (await writeControl(join(dir, 'cpu.cfs_period_us'), period)) ?? (await writeControl(join(dir, 'cpu.cfs_quota_us'), quota === 'max' ? '-1' : quota));
  }
  if (asked === undefined) return;
  if (p) out.unsupported.push({ limit: key, reason: p });
  else (out.applied as Record<string, unknown>)[key] = asked;
}

/** Removes the roots named `name` that a detected instance made in every v1 hierarchy, where empty. */
export async function removeV1Roots(name: string): Promise<void> {
  const read = (p: string): Promise<string> => readFile(p, 'utf8').catch(() => '');
  const own = (await read('/proc/self/cgroup')).split('\n').map((l) => l.split(':'));
  for (const [, dir, type, opts] of (await read('/proc/self/mounts')).split('\n').map((l) => l.split(' '))) {
    if (type !== 'cgroup' || !dir || !opts) continue;
    const ctl = (Object.keys(MARKER) as Controller[]).find((c) => opts.split(',').includes(c));
    const path = ctl && own.find((f) => f[1]?.split(',').includes(ctl))?.[2];
    if (path) await rmdir(join(dir, path, name)).catch(() => undefined);
  }
}
