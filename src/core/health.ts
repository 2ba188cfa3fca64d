// Runs a generation's declared health checks inside its health window. A failing check is retried until
// the window ends, because what it checks (a service, a socket, a file) may come up later in the boot.
import type { HealthCheck } from '../gen/types.js';
import type { Clock, Spawner, SpawnResult } from './ports.js';

export type HealthOutcome =
  | { ok: true; passed: number; total: number; ms: number }
  | { ok: false; check: string; reason: string; ms: number }
  | { ok: false; aborted: true; ms: number };

export interface HealthDeps {
  clock: Clock;
  spawner: Spawner;
  fileExists(path: string): Promise<boolean>;
}

/** Pause between rounds of retries of still-failing checks. */
export const RETRY_MS = 500;

function describe(r: SpawnResult, timeoutS: number): string | null {
  switch (r.kind) {
    case 'exit':
      return r.code === 0 ? null : `exit code ${r.code}${r.stderrTail ? ` (${r.stderrTail})` : ''}`;
    case 'signal':
      return `killed by ${r.signal}`;
    case 'timeout':
      return `no answer within ${timeoutS} s`;
    case 'error':
      return r.message;
  }
}

// A run started inside the window gets its whole declared timeout (not clipped to what is left of the
// window), so the verdict names the real cause rather than a timeout the window imposed.
async function runOnce(c: HealthCheck, deps: HealthDeps, signal?: AbortSignal): Promise<string | null> {
  if (c.kind === 'file') return (await deps.fileExists(c.path)) ? null : `"${c.path}" does not exist`;
  if (c.argv.length === 0) return 'empty argv';
  return describe(await deps.spawner.run(c.argv, c.timeoutSeconds * 1000, signal), c.timeoutSeconds);
}

/**
 * Runs `checks` until all pass or `windowSeconds` ends. Every check runs at least once; failing ones are
 * retried each RETRY_MS while the window lasts (a verdict may come up to one check timeout after it). The failure names the first still-failing check (in
 * declared order) with its last reason. Never throws for a failing check; `signal` aborts the run.
 */
export async function runHealthChecks(
  checks: HealthCheck[],
  windowSeconds: number,
  deps: HealthDeps,
  signal?: AbortSignal,
): Promise<HealthOutcome> {
  const start = deps.clock.now();
  const deadline = start + Math.max(0, windowSeconds) * 1000;
  const reasons = new Map<HealthCheck, string>();
  let pending = [...checks];
  for (;;) {
    if (signal?.aborted) return { ok: false, aborted: true, ms: deps.clock.now() - start };
    const results = await Promise.all(pending.map(async (c) => {
      try {
        return await runOnce(c, deps, signal);
      } catch (err) {
        return `check raised ${(err as Error).name}: ${(err as Error).message}`;
      }
    }));
    pending = pending.filter((c, i) => {
      const r = results[i];
      if (r === null || r === undefined) return false;
      reasons.set(c, r);
      return true;
    });
    const ms = deps.clock.now() - start;
    if (signal?.aborted) return { ok: false, aborted: true, ms };
    if (pending.length === 0) return { ok: true, passed: checks.length, total: checks.length, ms };
    if (deps.clock.now() >= deadline) {
      const first = pending[0] as HealthCheck;
      return { ok: false, check: first.name, reason: `${reasons.get(first)} (still failing when the ${windowSeconds} s health window ended)`, ms };
    }
    await deps.clock.sleep(Math.min(RETRY_MS, deadline - deps.clock.now()), signal);
  }
}
