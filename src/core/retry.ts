// Store writes take the store lock; a `dialogos gen` command run from the shell may hold it for a moment.
// dialogosd waits for it rather than crash (a crashing main during a trial costs the generation a try).
import type { Clock } from './ports.js';

export const LOCK_WAIT_MS = 10_000;
const STEP_MS = 200;

/**
 * Runs `fn`, retrying while it fails with an error named `StoreLockedError`, for up to `waitMs`.
 * @throws the last error, or any other error at once
 */
export async function whileLocked<T>(fn: () => T | Promise<T>, clock: Clock, waitMs = LOCK_WAIT_MS): Promise<T> {
  const until = clock.now() + waitMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if ((err as Error | null)?.name !== 'StoreLockedError' || clock.now() >= until) throw err;
      await clock.sleep(STEP_MS);
    }
  }
}
