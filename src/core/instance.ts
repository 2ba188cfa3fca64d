// Where one dialogosd keeps everything: the machine's fixed paths, or (host mode) all of it under one
// state directory, so that instances side by side never share a socket, pid file, journal or cgroup.
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';

export interface InstancePaths {
  mode: 'machine' | 'host';
  /** Host instances: the state directory; null on a machine. */
  state: string | null;
  dataDir: string;
  runDir: string;
  /** The API's unix socket. */
  socket: string;
  pidFile: string;
  journalDir: string;
  /** The machine's own specs (persist across generation switches). */
  specDir: string;
  /** The generation's default specs (null = none). */
  defaultsDir: string | null;
  /** Bearer token for the TCP listener, 0600. */
  tokenFile: string;
  runStateFile: string;
  /** Names this instance's cgroups. */
  instance: string;
}

/** A machine, or issue 2's host mode with explicit --data/--run directories. */
export function machinePaths(dataDir = '/data', runDir = '/run/dialogos', defaultsDir: string | null = '/dialogos/defaults/specs'): InstancePaths {
  const d = join(dataDir, 'dialogos');
  return {
    mode: 'machine', state: null, dataDir, runDir,
    socket: join(runDir, 'api.sock'), pidFile: join(runDir, 'dialogosd.pid'),
    journalDir: join(d, 'journal'), specDir: join(d, 'specs'), defaultsDir,
    tokenFile: join(d, 'api.token'), runStateFile: join(runDir, 'services.json'), instance: 'main',
  };
}

/** A host instance: everything under `state` (made absolute); the cgroup name is derived from it. */
export function statePaths(state: string, defaultsDir: string | null = null): InstancePaths {
  const s = resolve(state);
  const run = join(s, 'run');
  return {
    mode: 'host', state: s, dataDir: join(s, 'data'), runDir: run,
    socket: join(run, 'api.sock'), pidFile: join(run, 'dialogosd.pid'),
    journalDir: join(s, 'journal'), specDir: join(s, 'specs'), defaultsDir,
    tokenFile: join(s, 'api.token'), runStateFile: join(run, 'services.json'),
    instance: `h${createHash('sha256').update(s).digest('hex').slice(0, 12)}`,
  };
}

/**
 * The instance a command talks to: `--state DIR`, else $DIALOGOS_STATE, else the machine.
 * @example socketOf(resolveInstance(undefined, process.env))
 */
export function resolveInstance(state: string | undefined, env: NodeJS.ProcessEnv): InstancePaths {
  const s = state ?? env.DIALOGOS_STATE;
  return s ? statePaths(s) : machinePaths();
}
