// dialogosd: the service that finishes a boot. It makes the machine key on first boot, runs the booted
// generation's health checks, blesses (store and kernel image) or marks bad and reboots, prints the ready
// line, and then keeps the operator shell. daemon.ts runs it as the `generation` and `boot` parts of dialogosd.
import { join } from 'node:path';
import type { HealthCheck } from '../gen/types.js';
import { writeFileAtomic } from '../std/index.js';
import { runHealthChecks, type HealthOutcome } from './health.js';
import { ensureMachineKey } from './keys.js';
import type { ManifestHealth } from './manifest.js';
import { refundIfTrial, requestPower } from './power.js';
import { whileLocked } from './retry.js';
import { currentState, type ChildHandle, type Clock, type Console, type GenerationStore, type PowerAction, type PowerRequester, type ShellLauncher, type SigningKey, type Spawner } from './ports.js';
import type { UkiBlesser } from './uki.js';

export interface DialogosdInit {
  generation: string;
  /** From the handover; informational: whether a try is refunded is decided by the store's `trial`. */
  trial: boolean;
  keysDir: string;
  /** Where `blessed` is created once the checks pass: PID 1 stops counting main's crashes as a trial. */
  runDir: string;
  hostname?: string;
}

export interface DialogosdComponents {
  store: GenerationStore;
  generateSigningKey(): SigningKey | Promise<SigningKey>;
  readHealth(id: string): Promise<ManifestHealth>;
  power: PowerRequester;
  clock: Clock;
  spawner: Spawner;
  fileExists(path: string): Promise<boolean>;
  console: Console;
  uki: UkiBlesser;
  shell?: ShellLauncher;
}

export type BootOutcome =
  | { kind: 'ready'; blessed: boolean; ms: number }
  | { kind: 'bad'; check: string; reason: string }
  | { kind: 'stopped' };

export interface Dialogosd {
  /** Runs the boot phase (keys, health, bless or bad) and resolves with its outcome; the shell stays up. */
  start(): Promise<BootOutcome>;
  /** Stops: aborts a running health window (refunding the trial: a clean shutdown is not a failure), stops children. */
  stop(): Promise<void>;
  /** Clean reboot or power off from inside: abort checks, refund a running trial, then ask PID 1. */
  requestPower(action: PowerAction): Promise<{ refunded: boolean }>;
}

const errText = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

/** Factory in the Startable style: `createDialogosd(init)(components)`. */
export function createDialogosd(init: DialogosdInit) {
  return (c: DialogosdComponents): Dialogosd => {
    const id = init.generation;
    const abort = new AbortController();
    let run: Promise<BootOutcome> | null = null;
    let shell: ChildHandle | null = null;
    let stopping = false;
    let refundDone = false;

    const refundOnce = async (): Promise<boolean> => {
      if (refundDone) return false;
      refundDone = true;
      return whileLocked(() => refundIfTrial(c.store, id), c.clock);
    };

    const bad = async (check: string, reason: string): Promise<BootOutcome> => {
      await whileLocked(() => c.store.markBad(id, `${check} failed: ${reason}`), c.clock);
      c.console.line(`dialogos: generation ${id} marked bad: ${check} failed: ${reason}; rebooting to the previous generation`);
      await c.power.request('reboot');
      return { kind: 'bad', check, reason };
    };

    const bootPhase = async (): Promise<BootOutcome> => {
      c.console.line(`dialogos: dialogosd starting generation=${id}`);
      try {
        const k = await ensureMachineKey(init.keysDir, () => c.generateSigningKey(), init.hostname);
        if (k.created) c.console.line(`dialogos: created machine key ${k.keyId}${k.addedToTrust ? ' (trusted by policy)' : ' (not trusted: policy.json does not say trustMachineKey)'}`);
      } catch (err) {
        // A missing key only stops self-build signing; it says nothing about this generation's health.
        c.console.line(`dialogos: warning: cannot prepare the machine key: ${errText(err)}`);
      }
      const state = await currentState(c.store);
      const good = state.generations[id]?.status === 'good';
      let health: ManifestHealth;
      try {
        health = await c.readHealth(id);
      } catch (err) {
        if (good) return warnReady(0, 'manifest', errText(err));
        return bad('manifest', errText(err));
      }
      const outcome: HealthOutcome = await runHealthChecks(health.checks as HealthCheck[], health.windowSeconds, c, abort.signal);
      if ('aborted' in outcome || stopping) return { kind: 'stopped' };
      if (!outcome.ok) {
        // A blessed generation is not marked bad on a later failing boot: that could leave no good one.
        if (good) return warnReady(outcome.ms, outcome.check, outcome.reason);
        return bad(outcome.check, outcome.reason);
      }
      if (!good) await whileLocked(() => c.store.bless(id), c.clock);
      try {
        await writeFileAtomic(join(init.runDir, 'blessed'), '');
      } catch (err) {
        c.console.line(`dialogos: warning: cannot create ${join(init.runDir, 'blessed')}: ${errText(err)}`);
      }
      try {
        const u = await c.uki.blessRunning();
        if (u.kind === 'blessed') c.console.line(`dialogos: kernel image ${u.from} blessed as ${u.to}`);
      } catch (err) {
        c.console.line(`dialogos: warning: cannot bless the kernel image: ${errText(err)}`);
      }
      c.console.line(`dialogos: health checks passed (${outcome.passed}/${outcome.total}) in ${outcome.ms} ms; generation ${id} ${good ? 'already good' : 'blessed'}`);
      return ready(!good, outcome.ms);
    };

    const warnReady = (ms: number, check: string, reason: string): BootOutcome => {
      c.console.line(`dialogos: warning: ${check} failed on good generation ${id}: ${reason}; keeping it`);
      return ready(false, ms);
    };

    const ready = (blessed: boolean, ms: number): BootOutcome => {
      c.console.line(`dialogos ready generation=${id}`);
      if (c.shell && !stopping) shell = c.shell.start();
      return { kind: 'ready', blessed, ms };
    };

    const settle = async (): Promise<void> => {
      stopping = true;
      abort.abort();
      if (run) await run.catch(() => undefined);
    };

    return {
      start() {
        run ??= bootPhase();
        return run;
      },
      async stop() {
        await settle();
        try {
          if (await refundOnce()) c.console.line(`dialogos: stopped inside the health window; try of generation ${id} refunded`);
        } catch (err) {
          c.console.line(`dialogos: warning: cannot refund the try of ${id}: ${errText(err)}`);
        }
        const s = shell;
        shell = null;
        if (s) await s.stop();
      },
      async requestPower(action) {
        await settle();
        refundDone = true;
        const r = await requestPower(action, { store: c.store, generation: id, power: c.power });
        if (r.refunded) c.console.line(`dialogos: ${action} inside the health window; try of generation ${id} refunded`);
        if (r.refundError) c.console.line(`dialogos: warning: cannot refund the try of ${id}: ${r.refundError}`);
        return { refunded: r.refunded };
      },
    };
  };
}
