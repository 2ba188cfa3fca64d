// Test wiring: a ServiceManager over the in-memory runner, cgroups, run state and a manual clock.
import type { SpawnResult } from '../../../core/services/ports.js';
import { MemoryCgroups } from './cgroups-memory.js';
import { ManualClock } from './clock-manual.js';
import { createServiceManager, type ServiceManager, type ServiceManagerComponents } from '../../../core/services/manager.js';
import { MemoryRunner } from './runner-memory.js';
import { MemoryRunState } from '../../../core/services/runstate.js';
import type { ServiceSpecInput } from '../../../core/services/schema.js';
import type { StatusBoard, UnitStatus } from '../../../core/services/status.js';
import { validateSpecs, type SpecSet } from '../../../core/services/validate.js';

export interface Rig {
  clock: ManualClock;
  runner: MemoryRunner;
  cgroups: MemoryCgroups;
  runState: MemoryRunState;
  files: Set<string>;
  /** Exit codes the health/readiness command spawner returns, by argv[0]. */
  commands: Map<string, number>;
  log: string[];
  manager: ServiceManager;
  components: ServiceManagerComponents;
  /** Makes a fresh manager over the same OS (as after a dialogosd restart). */
  restartManager(): ServiceManager;
}

export const svc = (name: string, more: Partial<ServiceSpecInput> = {}): ServiceSpecInput =>
  ({ kind: 'service', name, command: name, ...more });

export const specSet = (...specs: unknown[]): SpecSet => validateSpecs(specs.map((value) => ({ value })));

export function rig(opts: { uid?: number } = {}): Rig {
  const clock = new ManualClock();
  const runner = new MemoryRunner();
  const cgroups = new MemoryCgroups((pid) => runner.procs.find((p) => p.pid === pid)?.die('SIGKILL'));
  const runState = new MemoryRunState();
  const files = new Set<string>();
  const commands = new Map<string, number>();
  const log: string[] = [];
  const components: ServiceManagerComponents = {
    runner, cgroups, clock, runState,
    probes: { fileExists: async (p) => files.has(p), connects: async () => false },
    spawner: { run: async (argv): Promise<SpawnResult> => ({ kind: 'exit', code: commands.get(argv[0]!) ?? 1, stderrTail: '' }) },
    users: async (u) => (u === 'nobody' || u === 65534 ? { uid: 65534, gid: 65534, name: 'nobody', home: '/nonexistent' }
      : u === 0 || u === 'root' ? { uid: 0, gid: 0, name: 'root', home: '/root' }
      : { uid: Number(u), gid: Number(u) }),
    uid: opts.uid ?? 0,
    baseEnv: { PATH: '/usr/bin:/bin' },
    warn: (m) => log.push(`warn ${m}`),
  };
  const r: Rig = {
    clock, runner, cgroups, runState, files, commands, log, components,
    manager: createServiceManager()(components),
    restartManager: () => (r.manager = createServiceManager()(components)),
  };
  return r;
}

/** Advances the clock in steps until `pred` holds for the unit's status (or fails after `maxMs`). */
export async function until(r: Rig, name: string, pred: (s: UnitStatus) => boolean, maxMs = 120_000, step = 10): Promise<UnitStatus> {
  for (let t = 0; t <= maxMs; t += step) {
    const s = r.manager.board.get('service', name);
    if (s && pred(s)) return s;
    await r.clock.advance(step);
  }
  throw new Error(`unit "${name}" did not reach the expected status within ${maxMs} ms: ${JSON.stringify(r.manager.board.get('service', name))}`);
}

/** Waits (real time) until the unit's status satisfies `pred`; fails after `ms` with the last status. */
export function waitStatus(board: StatusBoard, name: string, pred: (s: UnitStatus) => boolean, ms = 20_000): Promise<UnitStatus> {
  return new Promise((resolve, reject) => {
    const check = (s: UnitStatus | undefined): void => {
      if (!s || s.name !== name || !pred(s)) return;
      clearTimeout(t);
      off();
      resolve(s);
    };
    const t = setTimeout(() => { off(); reject(new Error(`unit "${name}" did not reach the expected status within ${ms} ms: ${JSON.stringify(board.get('service', name))}`)); }, ms);
    const off = board.subscribe(check);
    check(board.get('service', name));
  });
}
