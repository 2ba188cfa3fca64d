// Reboot and power off through PID 1, refunding the try of a generation whose trial is still running:
// a healthy generation that reboots inside its health window is not counted as failed.
import { writeFileAtomic } from '../std/index.js';
import { PowerRequestError } from './errors.js';
import { currentState, type GenerationStore, type PowerAction, type PowerRequester } from './ports.js';
import { join } from 'node:path';

/** The init's contract (native/init.c): SIGTERM reboots, SIGUSR2 powers off. */
export const PID1_SIGNALS: Record<PowerAction, NodeJS.Signals> = { reboot: 'SIGTERM', poweroff: 'SIGUSR2' };

/**
 * Refunds the try of `generation` when the store still records it as the running trial (the trial is
 * cleared by bless and bad, so this is a no-op after either). Returns whether it refunded.
 */
export async function refundIfTrial(store: GenerationStore, generation: string): Promise<boolean> {
  const state = await currentState(store);
  if (state.trial?.id !== generation) return false;
  await store.refundTry(generation);
  return true;
}

export interface PowerRequestDeps {
  store: GenerationStore | null;
  generation: string | null;
  power: PowerRequester;
}

/**
 * Refund (when a trial of the booted generation is running), then ask PID 1 to reboot or power off.
 * @throws PowerRequestError when PID 1 cannot be signalled; a refund failure is reported in the result
 *   and does not stop the power request (the operator asked for it).
 */
export async function requestPower(action: PowerAction, deps: PowerRequestDeps): Promise<{ action: PowerAction; refunded: boolean; refundError: string | null }> {
  let refunded = false;
  let refundError: string | null = null;
  if (deps.store !== null && deps.generation !== null) {
    try {
      refunded = await refundIfTrial(deps.store, deps.generation);
    } catch (err) {
      refundError = (err as Error).message;
    }
  }
  await deps.power.request(action);
  return { action, refunded, refundError };
}

/** The real requester inside Dialogos: signal PID 1. */
export function pid1Power(kill: (pid: number, sig: NodeJS.Signals) => void = process.kill.bind(process)): PowerRequester {
  return {
    async request(action) {
      try {
        kill(1, PID1_SIGNALS[action]);
      } catch (err) {
        throw new PowerRequestError(`Cannot ${action}: signalling PID 1 with ${PID1_SIGNALS[action]} failed`, { cause: err });
      }
    },
  };
}

/** Host mode: never touch the host's PID 1; record the request in `<runDir>/power-request` instead. */
export function recordingPower(runDir: string, say: (line: string) => void): PowerRequester {
  return {
    async request(action) {
      await writeFileAtomic(join(runDir, 'power-request'), `${action}\n`);
      say(`dialogos: host mode: ${action} requested (recorded in ${join(runDir, 'power-request')}, PID 1 not signalled)`);
    },
  };
}
