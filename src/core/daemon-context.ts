// What every part of dialogosd shares: the options of `dialogos daemon`, the instance's paths, the
// published state, and the parts themselves as the composition root (daemon.ts) wires them.
import { join } from 'node:path';
import type { GenerationsReader } from './api/index.js';
import type { CoreState } from './backend.js';
import type { Startable } from './compose.js';
import type { CoreLog } from './core-log.js';
import type { BootOutcome, Dialogosd } from './dialogosd.js';
import type { Handover } from './handover.js';
import { machinePaths, statePaths, type InstancePaths } from './instance.js';
import type { Journal } from './journal/index.js';
import type { Console, GenBindings, GenerationStore, PowerAction } from './ports.js';
import type { PowerBody } from './api/index.js';
import type { ServicesUp } from './services-up.js';

export interface DaemonOptions {
  dataDir: string;
  runDir: string;
  /** Host mode: power requests are recorded in runDir; efivars and ESP are runDir/efivars and runDir/esp. */
  hostMode: boolean;
  shell: boolean;
  bindings: GenBindings | null;
  console?: Console;
  env?: NodeJS.ProcessEnv;
  /** Where SIGTERM/SIGINT come from; the process by default. */
  onSignal?: (sig: NodeJS.Signals, fn: () => void) => void;
  /** A host instance: everything under this directory (overrides dataDir/runDir). */
  state?: string;
  /** The generation's default specs; default /dialogos/defaults/specs on a machine, none in host mode. */
  defaultsDir?: string | null;
  /** TCP listener with bearer tokens (off by default). */
  listen?: { host: string; port: number };
}

export const dataPaths = (dataDir: string) => ({
  /** The store's root as src/gen's Store takes it. */
  storeRoot: join(dataDir, 'dialogos'),
  storeDir: join(dataDir, 'dialogos', 'store'),
  keysDir: join(dataDir, 'dialogos', 'keys'),
});

export function pathsOf(o: DaemonOptions): InstancePaths {
  if (o.state) return statePaths(o.state, o.defaultsDir ?? null);
  return machinePaths(o.dataDir, o.runDir, o.defaultsDir !== undefined ? o.defaultsDir : o.hostMode ? null : '/dialogos/defaults/specs');
}

export const errText = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

/** The init every part factory takes. */
export interface DaemonContext {
  readonly o: DaemonOptions;
  readonly paths: InstancePaths;
  /** The console before the journal: issue 2's lines go here verbatim. */
  readonly rawCon: Console;
  /** A host instance (--state): no PID 1, and it may run without a generation. */
  readonly instance: boolean;
  readonly handover: Handover | null;
  /** Phase, reason and generation, as the API publishes them. */
  readonly state: CoreState;
  readonly startedAt: number;
  /** Ends the run: phase `stopping`, every part stopped in reverse. The same promise for every caller. */
  shutdown(why: string): Promise<void>;
}

/** The parts of dialogosd, in start order (daemon.ts): each declares which of the others it needs. */
export interface DaemonParts {
  /** The pid file, claimed first and released last. */
  pidfile: Startable;
  /** The journal (null when it cannot be opened) and the log over it. */
  journal: Startable & { journal: Journal | null; log: CoreLog };
  /** The store (when bound) and, with a handover, the boot phase's dialogosd. */
  generation: Startable & { store: GenerationStore | null; generations: GenerationsReader | null; dialogosd: Dialogosd | null };
  /** The service manager, made and watched; its units start with the `services` part. */
  units: Startable & { up: ServicesUp };
  /** Reboot and power off as the API asks for them. */
  power: Startable & { request(action: PowerAction): Promise<PowerBody> };
  api: Startable;
  /** Issue 2's boot phase: health checks, bless or bad, the ready line. */
  boot: Startable & { outcome: BootOutcome | null };
  /** Every enabled unit, started in dependency order once the boot phase allows it. */
  services: Startable;
}
