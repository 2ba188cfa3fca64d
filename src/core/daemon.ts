// The composition root of dialogosd for the `dialogos daemon` command: the pid file, the journal, the
// store, the service manager, power, the API, issue 2's boot phase (health, bless or bad, the ready
// line), then the services, started in that order and stopped in reverse (compose.ts). Real ports on a
// machine; issue 2's host mode (explicit --data/--run) never signals PID 1 or touches the real ESP and
// efivars; a host instance (--state DIR) keeps everything under DIR and runs without a generation when
// DIR has no handover.
import type { CoreState } from './backend.js';
import { compose, type Plan, type System } from './compose.js';
import { errText, pathsOf, type DaemonContext, type DaemonOptions, type DaemonParts } from './daemon-context.js';
import { generationPart, journalPart, pidfilePart, unitsPart } from './daemon-parts.js';
import { apiPart, bootPart, powerPart, servicesPart } from './daemon-phases.js';
import { DaemonAbortError, HandoverReadError, PartStartError, StoreNotBoundError } from './errors.js';
import { readHandover, type Handover } from './handover.js';
import { stdoutConsole } from './real.js';

/** dialogosd's parts in start order; each part's `needs` says what must run before it. */
export function daemonPlan(ctx: DaemonContext): Plan<DaemonParts> {
  return {
    pidfile: pidfilePart(ctx), journal: journalPart(ctx), generation: generationPart(ctx), units: unitsPart(ctx),
    power: powerPart(ctx), api: apiPart(ctx), boot: bootPart(ctx), services: servicesPart(ctx),
  };
}

/** @throws StoreNotBoundError, HandoverReadError (see runDaemon) */
async function handoverOf(o: DaemonOptions, instance: boolean, runDir: string): Promise<Handover | null> {
  let handover: Handover | null;
  try {
    handover = await readHandover(runDir, instance ? {} : o.env);
  } catch (err) {
    if (!(instance && err instanceof HandoverReadError)) throw err;
    handover = null;
  }
  if (handover && o.bindings === null) {
    throw new StoreNotBoundError('Cannot start dialogosd: no generation store is bound (src/cli/main.ts must pass the src/gen bindings)');
  }
  return handover;
}

/**
 * Runs dialogosd until SIGTERM (exit 0). In host mode a generation marked bad ends the process with 1,
 * since there is no PID 1 to reboot the machine; so does a host instance whose API cannot start.
 * @throws StoreNotBoundError when a handover exists but no store is bound; HandoverReadError without a
 *   handover (except for a host instance); InstanceRunningError when another dialogosd holds the pid file;
 *   whatever a part's start throws otherwise (everything started is stopped first)
 */
export async function runDaemon(o: DaemonOptions): Promise<number> {
  const startedAt = Date.now();
  const paths = pathsOf(o);
  const instance = paths.mode === 'host';
  const handover = await handoverOf(o, instance, paths.runDir);
  const reason = handover ? 'running the health checks' : 'starting (host instance without a generation)';
  const state: CoreState = { phase: 'booting', reason, generation: null };
  let stopping: Promise<void> | null = null;
  let stopped!: () => void;
  const stoppedP = new Promise<void>((resolve) => { stopped = resolve; });
  let system!: System<DaemonParts>;
  const beginStop = (why: string): void => {
    state.phase = 'stopping';
    state.reason = why;
    system.get('journal')?.log.log('notice', `dialogosd stopping: ${why}`);
  };
  const shutdown = (why: string): Promise<void> => {
    if (!stopping) { beginStop(why); stopping = system.stop().finally(stopped); }
    return stopping;
  };
  const ctx: DaemonContext = { o, paths, rawCon: o.console ?? stdoutConsole, instance, handover, state, startedAt, shutdown };
  system = compose(daemonPlan(ctx), {
    onStartFailure: (_part, err) => { if (err instanceof DaemonAbortError) beginStop(err.message); },
    onStopError: (part, err) => system.get('journal')?.log.log('error', `stopping ${part}: ${errText(err)}`),
  });
  const onSignal = o.onSignal ?? ((sig, fn) => { process.once(sig, fn); });
  onSignal('SIGTERM', () => void shutdown('SIGTERM'));
  onSignal('SIGINT', () => void shutdown('SIGINT'));
  try {
    await system.start();
  } catch (err) {
    if (err instanceof PartStartError && err.cause instanceof DaemonAbortError) return 1;
    throw err instanceof PartStartError ? err.cause : err;
  }
  // Stay up (the shell, the services, the API) until PID 1 or the operator stops us.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  await stoppedP;
  clearInterval(keepAlive);
  return 0;
}
