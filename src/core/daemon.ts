// Composition of dialogosd for the `dialogos daemon` command: real ports inside Dialogos, and a host
// mode (explicit --data/--run) that never signals PID 1 or touches the real ESP and efivars.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createDialogosd, type BootOutcome } from './dialogosd.js';
import { StoreNotBoundError } from './errors.js';
import { readHandover } from './handover.js';
import { readManifestHealth } from './manifest.js';
import { pid1Power, recordingPower } from './power.js';
import type { Console, GenBindings, ShellLauncher } from './ports.js';
import { consoleShell, realClock, realFileExists, realSpawner, stdoutConsole } from './real.js';
import { createDirUkiBlesser, createUkiBlesser } from './uki.js';

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
}

export const dataPaths = (dataDir: string) => ({
  /** The store's root as src/gen's Store takes it. */
  storeRoot: join(dataDir, 'dialogos'),
  storeDir: join(dataDir, 'dialogos', 'store'),
  keysDir: join(dataDir, 'dialogos', 'keys'),
});

/**
 * Runs dialogosd until SIGTERM (exit 0). In host mode a generation marked bad ends the process with 1,
 * since there is no PID 1 to reboot the machine.
 * @throws StoreNotBoundError when the composition root bound no store; HandoverError without a handover
 */
export async function runDaemon(o: DaemonOptions): Promise<number> {
  if (o.bindings === null) throw new StoreNotBoundError('Cannot start dialogosd: no generation store is bound (src/cli/main.ts must pass the src/gen bindings)');
  const con = o.console ?? stdoutConsole;
  const onSignal = o.onSignal ?? ((sig, fn) => { process.once(sig, fn); });
  const handover = await readHandover(o.runDir, o.env);
  const { storeRoot, storeDir, keysDir } = dataPaths(o.dataDir);
  const store = await o.bindings.openStore(storeRoot);
  const shell: ShellLauncher | undefined = o.shell ? consoleShell() : undefined;
  const d = createDialogosd({ generation: handover.generation, trial: handover.trial, keysDir, runDir: o.runDir, hostname: hostname() })({
    store,
    generateSigningKey: () => o.bindings!.generateSigningKey(),
    readHealth: (id) => readManifestHealth(storeDir, id),
    power: o.hostMode ? recordingPower(o.runDir, con.line) : pid1Power(),
    clock: realClock,
    spawner: realSpawner,
    fileExists: realFileExists,
    console: con,
    uki: o.hostMode
      ? createDirUkiBlesser(join(o.runDir, 'efivars'), join(o.runDir, 'esp'))
      : createUkiBlesser({ spawner: realSpawner, mountDir: join(o.runDir, 'esp') }),
    ...(shell ? { shell } : {}),
  });
  let stopped!: () => void;
  const stoppedP = new Promise<'stopped'>((resolve) => { stopped = () => resolve('stopped'); });
  let stopping: Promise<void> | null = null;
  const stop = (): void => {
    stopping ??= d.stop().finally(stopped);
  };
  onSignal('SIGTERM', stop);
  onSignal('SIGINT', stop);
  const outcome: BootOutcome = await d.start();
  if (outcome.kind === 'bad' && o.hostMode) {
    await d.stop();
    return 1;
  }
  // Stay up (the shell, and from issue 3 the services) until PID 1 or the operator stops us.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  await stoppedP;
  clearInterval(keepAlive);
  return 0;
}
