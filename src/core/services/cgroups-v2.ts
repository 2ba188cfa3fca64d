// cgroup v2: one group per service under a root directory (e.g. /sys/fs/cgroup/dialogos), with the cpu,
// memory and pids controllers enabled for it. The root must hold no processes itself (v2's "no internal
// processes" rule): dialogosd lives elsewhere, only services live below the root.
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { counter, readText, unitGroups, writeControl } from './cgroups-fs.js';
import type { AppliedLimits, CgroupLimits, Cgroups } from './ports.js';

const WANTED = ['cpu', 'memory', 'pids'] as const;
const LIMIT_CONTROLLER = { cpuMax: 'cpu', memoryBytes: 'memory', pids: 'pids' } as const;

const controllersOf = async (dir: string): Promise<Set<string>> =>
  new Set(((await readText(join(dir, 'cgroup.controllers'))) ?? '').split(/\s+/).filter(Boolean));

/**
 * Opens (creating it) the v2 root and enables the controllers it can: asks the parent to delegate them,
 * then enables them for the root's children. Never throws: what is missing is said in `description`.
 */
export async function openCgroupV2(root: string): Promise<Cgroups> {
  const problems: string[] = [];
  try {
    await mkdir(root, { recursive: true });
  } catch (err) {
    return unavailable(root, `cannot create ${root}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
  if ((await readText(join(root, 'cgroup.controllers'))) === null) return unavailable(root, `${root} is not in a cgroup v2 hierarchy`);
  const parent = dirname(root);
  const parentHas = await controllersOf(parent);
  for (const c of WANTED) {
    if (!parentHas.has(c)) continue;
    const p = await writeControl(join(parent, 'cgroup.subtree_control'), `+${c}`);
    if (p) problems.push(p);
  }
  const rootHas = await controllersOf(root);
  for (const c of WANTED) {
    if (!rootHas.has(c)) continue;
    const p = await writeControl(join(root, 'cgroup.subtree_control'), `+${c}`);
    if (p) problems.push(p);
  }
  const enabled = new Set(((await readText(join(root, 'cgroup.subtree_control'))) ?? '').split(/\s+/).filter(Boolean));
  const missing = WANTED.filter((c) => !enabled.has(c));
  const why = (c: string): string =>
    !parentHas.has(c) ? `the ${c} controller is not available in ${parent}` : problems.find((p) => p.includes(`+${c}`)) ?? `the ${c} controller could not be enabled`;
  const have = [...enabled].filter((c) => (WANTED as readonly string[]).includes(c)).join(' ') || 'no controllers';
  const description = `cgroup v2 at ${root} (${have})${missing.length ? `; missing: ${missing.map(why).join('; ')}` : ''}`;
  const groups = unitGroups(root, { killFile: true });
  const dir = groups.dir;

  return {
    description,
    available: true,
    controllers: WANTED.filter((c) => enabled.has(c)),
    async create(unit, limits) {
      await groups.make(unit);
      const out: AppliedLimits = { mode: 'cgroup v2', applied: {}, unsupported: [] };
      const write = async (key: keyof CgroupLimits, file: string, value: string): Promise<void> => {
        const c = LIMIT_CONTROLLER[key];
        if (!enabled.has(c)) return void out.unsupported.push({ limit: key, reason: why(c) });
        const p = await writeControl(join(dir(unit), file), value);
        if (p) out.unsupported.push({ limit: key, reason: p });
        else (out.applied as Record<string, unknown>)[key] = limits[key];
      };
      // Unset limits are written as "max" so that a spec change that drops a limit takes effect.
      if (enabled.has('cpu') || limits.cpuMax) await write('cpuMax', 'cpu.max', limits.cpuMax ?? 'max 100000');
      if (enabled.has('memory') || limits.memoryBytes) {
        await write('memoryBytes', 'memory.max', limits.memoryBytes ? String(limits.memoryBytes) : 'max');
        // A memory limit should end in a kill, not in swapping; and the whole service goes, not one random pid.
        if (enabled.has('memory')) {
          await writeControl(join(dir(unit), 'memory.swap.max'), limits.memoryBytes ? '0' : 'max');
          await writeControl(join(dir(unit), 'memory.oom.group'), '1');
        }
      }
      if (enabled.has('pids') || limits.pids) await write('pids', 'pids.max', limits.pids ? String(limits.pids) : 'max');
      for (const k of ['cpuMax', 'memoryBytes', 'pids'] as const) if (limits[k] === undefined) delete out.applied[k];
      return { procs: [groups.procsFile(unit)], limits: out };
    },
    attach: groups.attach,
    procs: groups.procs,
    async oomKills(unit) {
      return counter(await readText(join(dir(unit), 'memory.events')), 'oom_kill');
    },
    async usage(unit) {
      const stat = await readText(join(dir(unit), 'cpu.stat'));
      const peak = (await readText(join(dir(unit), 'memory.peak')))?.trim();
      const events = await readText(join(dir(unit), 'pids.events'));
      return {
        cpuMs: stat === null ? null : counter(stat, 'usage_usec') / 1000,
        peakMemoryBytes: peak && /^\d+$/.test(peak) ? Number(peak) : null,
        pidsLimitHits: events === null ? null : counter(events, 'max'),
      };
    },
    killAll: groups.killAll,
    remove: groups.remove,
  };
}

/** A Cgroups that applies nothing and says why, for hosts without a usable hierarchy. */
export function unavailable(where: string, reason: string): Cgroups {
  const all = (limits: CgroupLimits): AppliedLimits => ({
    mode: 'none', applied: {},
    unsupported: (Object.keys(limits) as (keyof CgroupLimits)[]).filter((k) => limits[k] !== undefined).map((limit) => ({ limit, reason })),
  });
  return {
    description: `no cgroups (${reason})`,
    available: false,
    reason,
    controllers: [],
    create: async (_unit, limits) => ({ procs: [], limits: all(limits) }),
    attach: async () => undefined,
    procs: async () => [],
    oomKills: async () => 0,
    killAll: async () => undefined,
    remove: async () => undefined,
  };
}
