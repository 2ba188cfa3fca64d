// The parts of dialogosd that act: power requests, the API server, issue 2's boot phase and the services.
// Each is a factory `part(ctx)` whose `create` gets the parts it declares in `needs` (compose.ts).
import { ensureToken, startApiServer, type ApiServer } from './api/index.js';
import { createCoreBackend } from './backend.js';
import type { PartDef } from './compose.js';
import { errText, type DaemonContext, type DaemonParts } from './daemon-context.js';
import type { BootOutcome } from './dialogosd.js';
import { DaemonAbortError } from './errors.js';
import { recordingPower } from './power.js';

type Def<K extends keyof DaemonParts> = PartDef<DaemonParts, K>;

/**
 * Reboot and power off for the API: through the boot phase's dialogosd when a generation is booted
 * (it refunds a running trial); a host instance without one records the request, and poweroff stops it.
 */
export const powerPart = (ctx: DaemonContext): Def<'power'> => ({
  needs: ['journal', 'generation'],
  create(get) {
    const { log } = get('journal');
    const { dialogosd } = get('generation');
    return {
      start() {},
      stop() {},
      async request(action) {
        log.log('notice', `${action} requested through the API`);
        if (dialogosd) {
          const r = await dialogosd.requestPower(action);
          return { action, generation: ctx.handover?.generation ?? null, refunded: r.refunded };
        }
        await recordingPower(ctx.paths.runDir, () => undefined).request(action);
        // A host instance without a generation has nobody to power it off: poweroff stops it.
        if (action === 'poweroff') setImmediate(() => void ctx.shutdown('poweroff requested'));
        return { action, generation: null, refunded: false };
      },
    };
  },
});

/**
 * The API on the unix socket (and TCP with --listen). Without it a machine still boots and runs its
 * services (the operator has the console); a host instance gives up. @throws DaemonAbortError (instance)
 */
export const apiPart = (ctx: DaemonContext): Def<'api'> => ({
  needs: ['journal', 'generation', 'units', 'power'],
  create(get) {
    const { o, paths, state } = ctx;
    const { journal, log } = get('journal');
    const { up } = get('units');
    const power = get('power');
    const backend = createCoreBackend({
      paths, manager: up.manager, journal, cgroups: up.cgroups, state, startedAt: ctx.startedAt,
      generations: get('generation').generations, log: (level, m) => log.log(level, m), power: (action) => power.request(action),
    });
    let api: ApiServer | null = null;
    return {
      async start() {
        try {
          const tcp = o.listen ? { ...o.listen, token: await ensureToken(paths.tokenFile) } : undefined;
          api = await startApiServer({ backend, socketPath: paths.socket, ...(tcp ? { tcp } : {}), log: (level, m) => log.log(level, m) });
          const at = api.tcpAddress ? `${api.tcpAddress.host}:${api.tcpAddress.port}` : null;
          state.api = { socket: paths.socket, tcp: at };
          log.log('info', `API listening on ${paths.socket}${at ? ` and tcp ${at} (bearer token in ${paths.tokenFile})` : ''}`);
        } catch (err) {
          log.log('error', `cannot start the API on ${paths.socket}: ${errText(err)}`);
          if (ctx.instance) throw new DaemonAbortError('the API could not start', { cause: err });
        }
      },
      async stop() { await api?.close().catch(() => undefined); },
    };
  },
});

const outcomeWord = (o: BootOutcome): string => (o.kind === 'ready' ? (o.blessed ? 'blessed' : 'good') : o.kind);

/**
 * Issue 2's boot phase (when a generation was handed over): health checks, bless or bad, the ready line.
 * @throws DaemonAbortError when the generation is marked bad where no PID 1 reboots (host mode)
 */
export const bootPart = (ctx: DaemonContext): Def<'boot'> => ({
  needs: ['journal', 'generation', 'api'],
  create(get) {
    const { log } = get('journal');
    const { dialogosd } = get('generation');
    const { state } = ctx;
    const part: DaemonParts['boot'] = {
      outcome: null,
      async start() {
        if (!dialogosd) return;
        const outcome = await dialogosd.start();
        part.outcome = outcome;
        if (state.generation) state.generation.outcome = outcomeWord(outcome);
        if (outcome.kind !== 'bad') return;
        state.phase = 'failed';
        state.reason = `generation marked bad: ${outcome.check} failed: ${outcome.reason}`;
        if (ctx.o.hostMode || ctx.instance) throw new DaemonAbortError(state.reason);
      },
      async stop() {
        if (dialogosd) await dialogosd.stop().catch((err) => log.log('error', `stopping: ${errText(err)}`));
      },
    };
    return part;
  },
});

/** Starts every enabled unit once the boot phase allows it (not after a bad generation or a stop). */
export const servicesPart = (ctx: DaemonContext): Def<'services'> => ({
  needs: ['journal', 'units', 'boot'],
  create(get) {
    const { log } = get('journal');
    const { up } = get('units');
    const boot = get('boot');
    const { state } = ctx;
    let starting: Promise<unknown> | null = null;
    // dialogosd's shutdown says so before it stops any part.
    const stopping = (): boolean => state.phase === 'stopping';
    return {
      async start() {
        if (boot.outcome && boot.outcome.kind !== 'ready') return;
        state.phase = 'starting';
        state.reason = 'starting services';
        try {
          starting = up.start();
          const set = (await starting) as Awaited<ReturnType<typeof up.start>>;
          if (stopping()) return;
          state.phase = 'running';
          state.reason = `${set.services.size} service${set.services.size === 1 ? '' : 's'} under management`;
          log.log('notice', `services started: ${set.startOrder.join(', ') || 'none'} (cgroups: ${up.cgroups})`);
        } catch (err) {
          state.phase = 'failed';
          state.reason = `cannot start services: ${errText(err)}`;
          log.log('error', state.reason);
        }
      },
      async stop() {
        // A start in progress finishes first, so that nothing it spawns outlives the stop.
        await starting?.catch(() => undefined);
        await up.manager.stop().catch((err) => log.log('error', `stopping services: ${errText(err)}`));
      },
    };
  },
});
