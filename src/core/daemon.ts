// Composition of dialogosd for the `dialogos daemon` command: journal, API, issue 2's boot phase
// (health, bless or bad, the ready line), then the services. Real ports on a machine; issue 2's host
// mode (explicit --data/--run) never signals PID 1 or touches the real ESP and efivars; a host instance
// (--state DIR) keeps everything under DIR and runs without a generation when DIR has no handover.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { startApiServer, ensureToken, type ApiServer, type GenerationsReader } from './api/index.js';
import { createCoreBackend, type CoreState } from './backend.js';
import { createCoreLog } from './core-log.js';
import { createDialogosd, type BootOutcome, type Dialogosd } from './dialogosd.js';
import { HandoverError, StoreNotBoundError } from './errors.js';
import { readHandover, type Handover } from './handover.js';
import { machinePaths, statePaths, type InstancePaths } from './instance.js';
import { openJournal, type Journal } from './journal/index.js';
import { readManifestHealth } from './manifest.js';
import { pidFile } from './pidfile.js';
import { pid1Power, recordingPower } from './power.js';
import type { Console, GenBindings, GenerationStore, ShellLauncher } from './ports.js';
import { consoleShell, realFileExists, stdoutConsole } from './real.js';
import { realClock, realSpawner } from './services/index.js';
import { createServices } from './services-up.js';
import { createDirUkiBlesser, createUkiBlesser } from './uki.js';
import { storeReader } from './generations.js';

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

const errText = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

export function pathsOf(o: DaemonOptions): InstancePaths {
  if (o.state) return statePaths(o.state, o.defaultsDir ?? null);
  return machinePaths(o.dataDir, o.runDir, o.defaultsDir !== undefined ? o.defaultsDir : o.hostMode ? null : '/dialogos/defaults/specs');
}

/**
 * Runs dialogosd until SIGTERM (exit 0). In host mode a generation marked bad ends the process with 1,
 * since there is no PID 1 to reboot the machine.
 * @throws StoreNotBoundError when a handover exists but no store is bound; HandoverError without a
 *   handover (except for a host instance); ApiAddressInUseError when another dialogosd holds the socket
 */
export async function runDaemon(o: DaemonOptions): Promise<number> {
  const startedAt = Date.now();
  const paths = pathsOf(o);
  const rawCon = o.console ?? stdoutConsole;
  const onSignal = o.onSignal ?? ((sig, fn) => { process.once(sig, fn); });
  const instance = paths.mode === 'host';
  let handover: Handover | null;
  try {
    handover = await readHandover(paths.runDir, instance ? {} : o.env);
  } catch (err) {
    if (!(instance && err instanceof HandoverError)) throw err;
    handover = null;
  }
  if (handover && o.bindings === null) throw new StoreNotBoundError('Cannot start dialogosd: no generation store is bound (src/cli/main.ts must pass the src/gen bindings)');
  const pid = await pidFile(paths.pidFile).claim();
  let journal: Journal | null = null;
  try {
    journal = await openJournal({ dir: paths.journalDir, onError: (err) => rawCon.line(`dialogos: warning: journal: ${errText(err)}`) });
  } catch (err) {
    rawCon.line(`dialogos: warning: cannot open the journal at ${paths.journalDir}: ${errText(err)}; running without it`);
  }
  const log = createCoreLog(rawCon, journal);
  const con = log.console;
  const state: CoreState = { phase: 'booting', reason: handover ? 'running the health checks' : 'starting (host instance without a generation)', generation: null };
  const { storeRoot, storeDir, keysDir } = dataPaths(paths.dataDir);
  let store: GenerationStore | null = null;
  if (o.bindings && (handover || (await realFileExists(storeDir)))) store = await o.bindings.openStore(storeRoot);
  const generations: GenerationsReader | null = store ? storeReader(store) : null;
  let d: Dialogosd | null = null;
  if (handover && store) {
    state.generation = { id: handover.generation, trial: handover.trial, outcome: 'checking' };
    const shell: ShellLauncher | undefined = o.shell ? consoleShell() : undefined;
    d = createDialogosd({ generation: handover.generation, trial: handover.trial, keysDir, runDir: paths.runDir, hostname: hostname() })({
      store,
      generateSigningKey: () => o.bindings!.generateSigningKey(),
      readHealth: (id) => readManifestHealth(storeDir, id),
      power: o.hostMode || instance ? recordingPower(paths.runDir, con.line) : pid1Power(),
      clock: realClock, spawner: realSpawner, fileExists: realFileExists, console: con,
      uki: o.hostMode || instance
        ? createDirUkiBlesser(join(paths.runDir, 'efivars'), join(paths.runDir, 'esp'))
        : createUkiBlesser({ spawner: realSpawner, mountDir: join(paths.runDir, 'esp') }),
      ...(shell ? { shell } : {}),
    });
  }
  const services = await createServices(paths, log, paths.mode === 'machine' && !o.hostMode ? { cgroupV2Root: '/sys/fs/cgroup/dialogos' } : { host: true });
  const offWatch = log.watch(services.manager.board);

  let stopped!: () => void;
  const stoppedP = new Promise<void>((resolve) => { stopped = resolve; });
  let stopping: Promise<void> | null = null;
  let api: ApiServer | null = null;
  let servicesStarting: Promise<unknown> | null = null;
  const shutdown = (why: string): Promise<void> => {
    stopping ??= (async () => {
      state.phase = 'stopping';
      state.reason = why;
      log.log('notice', `dialogosd stopping: ${why}`);
      // A start in progress finishes first, so that nothing it spawns outlives the stop.
      await servicesStarting?.catch(() => undefined);
      await services.manager.stop().catch((err) => log.log('error', `stopping services: ${errText(err)}`));
      if (d) await d.stop().catch((err) => log.log('error', `stopping: ${errText(err)}`));
      await api?.close().catch(() => undefined);
      offWatch();
      log.log('notice', 'dialogosd stopped');
      await journal?.close().catch(() => undefined);
      await pid.release();
    })().finally(stopped);
    return stopping;
  };
  onSignal('SIGTERM', () => void shutdown('SIGTERM'));
  onSignal('SIGINT', () => void shutdown('SIGINT'));

  const backend = createCoreBackend({
    paths, manager: services.manager, journal, cgroups: services.cgroups, state, startedAt, generations,
    log: (level, m) => log.log(level, m),
    async power(action) {
      log.log('notice', `${action} requested through the API`);
      if (d) {
        const r = await d.requestPower(action);
        return { action, generation: handover?.generation ?? null, refunded: r.refunded };
      }
      await recordingPower(paths.runDir, () => undefined).request(action);
      // A host instance without a generation has nobody to power it off: poweroff stops it.
      if (action === 'poweroff') setImmediate(() => void shutdown('poweroff requested'));
      return { action, generation: null, refunded: false };
    },
  });
  try {
    const tcp = o.listen ? { ...o.listen, token: await ensureToken(paths.tokenFile) } : undefined;
    api = await startApiServer({ backend, socketPath: paths.socket, ...(tcp ? { tcp } : {}), log: (level, m) => log.log(level, m) });
    state.api = { socket: paths.socket, tcp: api.tcpAddress ? `${api.tcpAddress.host}:${api.tcpAddress.port}` : null };
    log.log('info', `API listening on ${paths.socket}${api.tcpAddress ? ` and tcp ${api.tcpAddress.host}:${api.tcpAddress.port} (bearer token in ${paths.tokenFile})` : ''}`);
  } catch (err) {
    // Without the API the machine still boots and runs its services; the operator has the console.
    log.log('error', `cannot start the API on ${paths.socket}: ${errText(err)}`);
    if (instance) { await shutdown('the API could not start'); return 1; }
  }

  const outcome: BootOutcome | null = d ? await d.start() : null;
  if (outcome && state.generation) state.generation.outcome = outcome.kind === 'ready' ? (outcome.blessed ? 'blessed' : 'good') : outcome.kind;
  if (outcome?.kind === 'bad') {
    state.phase = 'failed';
    state.reason = `generation marked bad: ${outcome.check} failed: ${outcome.reason}`;
    if (o.hostMode || instance) {
      await shutdown(state.reason);
      return 1;
    }
  } else if (outcome?.kind !== 'stopped' && !stopping) {
    state.phase = 'starting';
    state.reason = 'starting services';
    try {
      const starting = services.start();
      servicesStarting = starting;
      const set = await starting;
      if (!stopping) {
        state.phase = 'running';
        state.reason = `${set.services.size} service${set.services.size === 1 ? '' : 's'} under management`;
        log.log('notice', `services started: ${set.startOrder.join(', ') || 'none'} (cgroups: ${services.cgroups})`);
      }
    } catch (err) {
      state.phase = 'failed';
      state.reason = `cannot start services: ${errText(err)}`;
      log.log('error', state.reason);
    }
  }
  // Stay up (the shell, the services, the API) until PID 1 or the operator stops us.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  await stoppedP;
  clearInterval(keepAlive);
  return 0;
}
