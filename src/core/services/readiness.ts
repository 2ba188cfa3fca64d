// Readiness checks: poll the condition the spec names until it holds, the process exits, the timeout
// passes or the unit is stopped. The result is a sentence, so status can say what happened.
import type { Clock, Probes, Spawner } from './ports.js';
import type { Readiness } from './schema.js';

export const POLL_MS = 100;

export interface ReadinessDeps {
  clock: Clock;
  probes: Probes;
  spawner: Spawner;
  /** Subscribes to the unit's output lines; returns the unsubscribe function. */
  onLine(l: (line: string) => void): () => void;
}

export type ReadyResult = { ready: true; reason: string } | { ready: false; reason: string };

const describe = (r: Readiness): string => {
  switch (r.kind) {
    case 'none': return 'started';
    case 'file': return `file ${r.path} exists`;
    case 'tcp': return `${r.host}:${r.port} accepts connections`;
    case 'unix': return `socket ${r.path} accepts connections`;
    case 'command': return `"${r.command.join(' ')}" succeeded`;
    case 'log': return `output matched /${r.pattern}/`;
  }
};

/** Resolves when ready, or not ready (timeout); never rejects. An aborted signal resolves not ready. */
export async function waitReady(r: Readiness, deps: ReadinessDeps, signal: AbortSignal): Promise<ReadyResult> {
  if (r.kind === 'none') return { ready: true, reason: 'started (no readiness check)' };
  const start = deps.clock.now();
  const deadline = start + r.timeoutMs;
  let matched = false;
  let off = (): void => undefined;
  if (r.kind === 'log') {
    const re = new RegExp(r.pattern);
    off = deps.onLine((line) => { if (re.test(line)) matched = true; });
  }
  try {
    while (!signal.aborted) {
      if (await check(r, deps, deadline, () => matched)) {
        return { ready: true, reason: `ready: ${describe(r)} after ${deps.clock.now() - start} ms` };
      }
      if (deps.clock.now() >= deadline) break;
      await deps.clock.sleep(Math.min(POLL_MS, deadline - deps.clock.now()), signal);
    }
  } finally {
    off();
  }
  return { ready: false, reason: signal.aborted ? 'readiness check cancelled' : `not ready within ${r.timeoutMs} ms: waited for ${describe(r)}` };
}

async function check(r: Readiness, deps: ReadinessDeps, deadline: number, matched: () => boolean): Promise<boolean> {
  switch (r.kind) {
    case 'none': return true;
    case 'file': return deps.probes.fileExists(r.path);
    case 'tcp': return deps.probes.connects({ host: r.host, port: r.port }, 1000);
    case 'unix': return deps.probes.connects({ path: r.path }, 1000);
    case 'log': return matched();
    case 'command': {
      const res = await deps.spawner.run(r.command, Math.max(1, deadline - deps.clock.now()));
      return res.kind === 'exit' && res.code === 0;
    }
  }
}
