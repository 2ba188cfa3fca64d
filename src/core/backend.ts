// The API's view of a running dialogosd: status, unit operations, apply, journal, generations, power,
// over the real service manager and journal. Kept apart from the HTTP layer so either can change.
import { hostname } from 'node:os';
import { UnavailableError, type ApiBackend, type GenerationsReader, type UnitActionName } from './api/index.js';
import type { ApplyBody, PowerBody, StatusBody } from './api/index.js';
import type { InstancePaths } from './instance.js';
import type { Journal } from './journal/index.js';
import { UnitNotFoundError, type ServiceManager, type UnitStatus } from './services/index.js';
import { commitApply, planApply, planRemove, type PlannedApply } from './spec-store.js';

export type Phase = StatusBody['phase'];

export interface CoreState {
  phase: Phase;
  reason: string;
  generation: { id: string; trial: boolean; outcome: string } | null;
  /** Set once the API listens. */
  api?: { socket: string; tcp: string | null };
}

export interface CoreBackendDeps {
  paths: InstancePaths;
  manager: ServiceManager;
  journal: Journal | null;
  cgroups: string;
  state: CoreState;
  startedAt: number;
  generations: GenerationsReader | null;
  power(action: 'reboot' | 'poweroff'): Promise<PowerBody>;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

const SETTLED = new Set(['ready', 'running', 'failed', 'crash-loop', 'inactive', 'unsupported']);

export function createCoreBackend(d: CoreBackendDeps): ApiBackend {
  const find = (name: string): UnitStatus => {
    const s = d.manager.status().find((u) => u.name === name);
    if (!s) throw new UnitNotFoundError(`Cannot find unit "${name}": no such unit (known: ${d.manager.status().map((u) => u.name).join(', ') || 'none'})`);
    return s;
  };
  let applying: Promise<unknown> = Promise.resolve();
  const notStopping = (what: string): void => {
    if (d.state.phase === 'stopping') throw new UnavailableError(`Cannot ${what}: dialogosd is stopping`);
  };
  /** Plans, then (unless a dry run) writes the spec files and reconciles; one change at a time. */
  const change = (dryRun: boolean, what: string, planIt: () => Promise<PlannedApply>): Promise<ApplyBody> => {
    if (!dryRun) notStopping(what);
    // One change at a time: each plans against the files the previous one wrote.
    const run = applying.then(async (): Promise<ApplyBody> => {
      let plan;
      try {
        plan = await planIt();
      } catch (err) {
        d.log('warn', `${what} refused, nothing changed: ${(err as Error).message}`);
        throw err;
      }
      const before = d.manager.specs.services;
      if (dryRun) {
        const names = [...plan.set.services.keys()];
        const same = (n: string) => JSON.stringify(before.get(n)) === JSON.stringify(plan.set.services.get(n));
        return {
          dryRun, files: [],
          added: names.filter((n) => !before.has(n)), changed: names.filter((n) => before.has(n) && !same(n)),
          removed: [...before.keys()].filter((n) => !plan.set.services.has(n)), unchanged: names.filter((n) => before.has(n) && same(n)),
        };
      }
      const files = await commitApply(plan);
      const r = await d.manager.apply(plan.set);
      d.log('info', `${what} done (${files.join(', ')}): added ${r.added.join(', ') || 'none'}; changed ${r.changed.join(', ') || 'none'}; removed ${r.removed.join(', ') || 'none'}`);
      return { dryRun, files, ...r };
    });
    applying = run.catch(() => undefined);
    return run;
  };
  return {
    board: d.manager.board,
    journal: d.journal,
    generations: d.generations,
    status(): StatusBody {
      const j = d.journal?.stats();
      return {
        machine: {
          hostname: hostname(), mode: d.paths.mode, instance: d.paths.instance, state: d.paths.state, pid: process.pid,
          startedAt: new Date(d.startedAt).toISOString(), uptimeMs: Date.now() - d.startedAt, cgroups: d.cgroups, apiVersion: 'v1',
          api: d.state.api ?? { socket: d.paths.socket, tcp: null },
        },
        phase: d.state.phase,
        reason: d.state.phase === 'running' ? `${d.manager.specs.services.size} service${d.manager.specs.services.size === 1 ? '' : 's'} under management` : d.state.reason,
        generation: d.state.generation,
        services: d.manager.status(),
        journal: j && d.journal ? { dir: d.journal.dir, lastSeq: j.lastSeq, durableSeq: j.durableSeq, storedBytes: j.storedBytes } : null,
      };
    },
    units: () => d.manager.status(),
    unit(name) {
      const status = find(name);
      const spec = status.kind === 'service' ? d.manager.specs.services.get(name) ?? null : null;
      return { status, spec: spec as Record<string, unknown> | null };
    },
    async action(name: string, action: UnitActionName, o) {
      notStopping(`${action} "${name}"`);
      find(name);
      if (d.manager.status().find((u) => u.name === name)?.kind !== 'service') {
        throw new UnitNotFoundError(`Cannot ${action} "${name}": only services can be started and stopped`);
      }
      d.log('info', `${action} of "${name}" requested through the API`);
      if (action === 'start') d.manager.startUnit(name);
      else if (action === 'stop') await d.manager.stopUnit(name);
      else if (action === 'restart') await d.manager.restartUnit(name);
      else if (action === 'enable') await d.manager.enable(name);
      else await d.manager.disable(name);
      let settled = SETTLED.has(find(name).state);
      if (o.wait) {
        const signal = AbortSignal.timeout(o.timeoutMs);
        const s = await d.manager.settled(name, signal);
        settled = !signal.aborted && SETTLED.has(s.state);
      }
      return { action, status: find(name), settled };
    },
    apply(specs, dryRun, prune = false) {
      return change(dryRun, 'apply specs', () => planApply(d.paths.defaultsDir, d.paths.specDir, specs, { prune }));
    },
    async remove(kind, name, dryRun) {
      const r = await change(dryRun, `remove ${kind} "${name}"`, () => planRemove(d.paths.defaultsDir, d.paths.specDir, kind, name));
      // The service lists come from the service manager; name a removed unit of another kind too.
      return kind === 'service' ? r : { ...r, removed: [...r.removed, `${kind}/${name}`] };
    },
    power: (action) => d.power(action),
  };
}
