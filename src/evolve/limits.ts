// One check of a run's limits for every Runner, so that a limit a runner would not enforce (the local
// runner enforces only the wall) is still refused by it when it is nonsense.
import type { SandboxLimits } from './types.js';

/** The first limit that is not a positive safe integer, as "name is value", or null when all are. */
export function invalidLimit(limits: SandboxLimits): string | null {
  for (const [k, v] of Object.entries(limits)) if (!Number.isSafeInteger(v) || (v as number) <= 0) return `${k} is "${String(v)}"`;
  return null;
}
