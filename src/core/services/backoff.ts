// Restart decisions as pure functions: the delay before the next try, and whether the recent
// restarts amount to a crash loop.
import type { ServiceSpec } from './schema.js';

/** Delay before restart number `attempt` (1-based): initialMs * factor^(attempt-1), capped at maxMs. */
export function backoffDelay(b: ServiceSpec['restart']['backoff'], attempt: number): number {
  return Math.min(b.maxMs, Math.round(b.initialMs * b.factor ** Math.max(0, attempt - 1)));
}

/** Restart times within the window ending at `now`. */
export function recentRestarts(times: number[], now: number, withinMs: number): number[] {
  return times.filter((t) => now - t < withinMs);
}

/** True when one more restart now would exceed `maxRestarts` within `withinMs`. */
export function isCrashLoop(times: number[], now: number, c: ServiceSpec['restart']['crashLoop']): boolean {
  return recentRestarts(times, now, c.withinMs).length >= c.maxRestarts;
}

export type ExitVerdict = 'restart' | 'done' | 'failed';

/** What a restart policy makes of an exit that nobody asked for. */
export function exitVerdict(policy: ServiceSpec['restart']['policy'], clean: boolean): ExitVerdict {
  if (policy === 'always') return 'restart';
  if (policy === 'on-failure') return clean ? 'done' : 'restart';
  return clean ? 'done' : 'failed';
}
