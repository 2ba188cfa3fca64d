// The parts of dialogosd that hold its resources: the pid file, the journal, the generation store with
// the boot phase's dialogosd, and the service manager. Each is a factory `part(ctx)` whose `create` gets
// the parts it declares in `needs` (compose.ts).
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { PartDef } from './compose.js';
import { createCoreLog } from './core-log.js';
import { dataPaths, errText, type DaemonContext, type DaemonParts } from './daemon-context.js';
import { createDialogosd } from './dialogosd.js';
import { storeReader } from './generations.js';
import { openJournal, type Journal } from './journal/index.js';
import { readManifestHealth } from './manifest.js';
import { pidFile } from './pidfile.js';
import { pid1Power, recordingPower } from './power.js';
import type { ShellLauncher } from './ports.js';
import { consoleShell, realFileExists } from './real.js';
import { createServices } from './services-up.js';
import { realClock, realSpawner } from './services/index.js';
import { createDirUkiBlesser, createUkiBlesser } from './uki.js';

type Def<K extends keyof DaemonParts> = PartDef<DaemonParts, K>;

/** Claims the pid file (@throws InstanceRunningError) and removes it at the very end. */
export const pidfilePart = (ctx: DaemonContext): Def<'pidfile'> => ({
  needs: [],
  create() {
    let claim: { release(): Promise<void> } | null = null;
    return {
      async start() { claim = await pidFile(ctx.paths.pidFile).claim(); },
      async stop() { await claim?.release(); },
    };
  },
});

/** Opens the journal; one that cannot be opened leaves dialogosd running without it. */
export const journalPart = (ctx: DaemonContext): Def<'journal'> => ({
  needs: ['pidfile'],
  async create() {
    const { rawCon, paths } = ctx;
    let journal: Journal | null = null;
    try {
      journal = await openJournal({ dir: paths.journalDir, onError: (err) => rawCon.line(`dialogos: warning: journal: ${errText(err)}`) });
    } catch (err) {
      rawCon.line(`dialogos: warning: cannot open the journal at ${paths.journalDir}: ${errText(err)}; running without it`);
    }
    const log = createCoreLog(rawCon, journal);
    return {
      journal, log,
      start() {},
      async stop() {
        log.log('notice', 'dialogosd stopped');
        await journal?.close().catch(() => undefined);
      },
    };
  },
});

/** The store (bound by the composition root) and, when a generation was handed over, its dialogosd. */
export const generationPart = (ctx: DaemonContext): Def<'generation'> => ({
  needs: ['journal'],
  async create(get) {
    const { o, paths, handover, state } = ctx;
    const con = get('journal').log.console;
    const { storeRoot, storeDir, keysDir } = dataPaths(paths.dataDir);
    const store = o.bindings && (handover || (await realFileExists(storeDir))) ? await o.bindings.openStore(storeRoot) : null;
    let dialogosd = null;
    if (handover && store) {
      state.generation = { id: handover.generation, trial: handover.trial, outcome: 'checking' };
      const recording = o.hostMode || ctx.instance;
      const shell: ShellLauncher | undefined = o.shell ? consoleShell() : undefined;
      const init = { generation: handover.generation, trial: handover.trial, keysDir, runDir: paths.runDir, hostname: hostname() };
      dialogosd = createDialogosd(init)({
        store,
        generateSigningKey: () => o.bindings!.generateSigningKey(),
        readHealth: (id) => readManifestHealth(storeDir, id),
        power: recording ? recordingPower(paths.runDir, con.line) : pid1Power(),
        clock: realClock, spawner: realSpawner, fileExists: realFileExists, console: con,
        uki: recording
          ? createDirUkiBlesser(join(paths.runDir, 'efivars'), join(paths.runDir, 'esp'))
          : createUkiBlesser({ spawner: realSpawner, mountDir: join(paths.runDir, 'esp') }),
        ...(shell ? { shell } : {}),
      });
    }
    return { store, generations: store ? storeReader(store) : null, dialogosd, start() {}, stop() {} };
  },
});

/** The service manager over the real components, its status journaled; no unit starts here. */
export const unitsPart = (ctx: DaemonContext): Def<'units'> => ({
  needs: ['journal'],
  async create(get) {
    const { log } = get('journal');
    const machine = ctx.paths.mode === 'machine' && !ctx.o.hostMode;
    const up = await createServices(ctx.paths, log, machine ? { cgroupV2Root: '/sys/fs/cgroup/dialogos' } : { host: true });
    let unwatch = (): void => undefined;
    return {
      up,
      start() { unwatch = log.watch(up.manager.board); },
      stop() { unwatch(); },
    };
  },
});
