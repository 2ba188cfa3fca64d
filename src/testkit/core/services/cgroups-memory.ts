// An in-memory Cgroups for controller tests: groups with limits and members, and an OOM the test
// triggers (the kernel's kill of a member is simulated through the `kill` callback).
import { CgroupError } from '../../../core/services/errors.js';
import type { AppliedLimits, CgroupLimits, Cgroups } from '../../../core/services/ports.js';

interface Group { limits: CgroupLimits; procs: Set<number>; oom: number }

export class MemoryCgroups implements Cgroups {
  readonly description = 'in-memory cgroups (cpu memory pids)';
  readonly available = true;
  readonly controllers = ['cpu', 'memory', 'pids'] as const;
  readonly groups = new Map<string, Group>();
  /** `kill` is how a simulated OOM or killAll ends a process (wire it to the MemoryRunner). */
  constructor(private readonly kill: (pid: number) => void = () => undefined) {}

  async create(unit: string, limits: CgroupLimits): Promise<{ procs: string[]; limits: AppliedLimits }> {
    const g = this.groups.get(unit) ?? { limits: {}, procs: new Set<number>(), oom: 0 };
    g.limits = { ...limits };
    this.groups.set(unit, g);
    const applied = Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)) as CgroupLimits;
    return { procs: [`memory-cgroup:${unit}`], limits: { mode: 'in-memory', applied, unsupported: [] } };
  }
  async attach(unit: string, pid: number): Promise<void> {
    const g = this.groups.get(unit);
    if (!g) throw new CgroupError(`Cannot move pid ${pid} into the cgroup of service "${unit}": no such group`);
    for (const other of this.groups.values()) other.procs.delete(pid);
    g.procs.add(pid);
  }
  /** Forgets a pid that exited (the kernel does this by itself). */
  exited(pid: number): void {
    for (const g of this.groups.values()) g.procs.delete(pid);
  }
  async procs(unit: string): Promise<number[]> {
    return [...(this.groups.get(unit)?.procs ?? [])];
  }
  async oomKills(unit: string): Promise<number> {
    return this.groups.get(unit)?.oom ?? 0;
  }
  /** What the kernel does when the group exceeds memory.max: count an oom_kill and kill the members. */
  oom(unit: string): void {
    const g = this.groups.get(unit);
    if (!g) return;
    g.oom++;
    for (const pid of g.procs) this.kill(pid);
    g.procs.clear();
  }
  async killAll(unit: string): Promise<void> {
    const g = this.groups.get(unit);
    if (!g) return;
    for (const pid of g.procs) this.kill(pid);
    g.procs.clear();
  }
  async remove(unit: string): Promise<void> {
    const g = this.groups.get(unit);
    if (g && g.procs.size) throw new CgroupError(`Cannot remove the cgroup of service "${unit}": EBUSY`);
    this.groups.delete(unit);
  }
}
