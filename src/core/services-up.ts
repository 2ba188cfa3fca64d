// Starting the service layer for dialogosd: real components, the spec set (generation defaults merged
// under the machine's /data specs), and a fallback when that set is invalid, so that a bad spec file
// never keeps dialogosd (and the API an operator needs to fix it) down.
import { createNodeFileSystem } from '../gen/index.js';
import type { CoreLog } from './core-log.js';
import type { InstancePaths } from './instance.js';
import {
  createRealServiceComponents, createServiceManager, loadSpecs, SpecValidationError, validateSpecs,
  type ServiceManager, type SpecSet,
} from './services/index.js';

export interface ServicesUp {
  manager: ServiceManager;
  cgroups: string;
  /** Loads the specs (with fallbacks) and starts every enabled service in dependency order. */
  start(): Promise<SpecSet>;
}

/** Never throws for bad specs; cgroup trouble only shows in the description and each unit's limits. */
export async function createServices(paths: InstancePaths, log: CoreLog, o: { cgroupV2Root?: string; baseEnv?: Record<string, string>; host?: boolean } = {}): Promise<ServicesUp> {
  const c = await createRealServiceComponents({
    runStatePath: paths.runStateFile,
    instance: paths.instance,
    ...(o.cgroupV2Root ? { cgroupV2Root: o.cgroupV2Root } : {}),
    dataSpecDir: paths.specDir,
    ...(o.baseEnv ? { baseEnv: o.baseEnv } : {}),
    output: (unit, stream) => log.output(unit, stream),
    warn: (m) => log.log('warn', m),
    system: { host: o.host ?? paths.mode === 'host', runDir: paths.runDir, ...(paths.state ? { stateDir: paths.state } : { stateDir: paths.dataDir }) },
  });
  const manager = createServiceManager()(c);
  const fs = createNodeFileSystem();
  const load = async (): Promise<SpecSet> => {
    try {
      return await loadSpecs(fs, { ...(paths.defaultsDir ? { defaultsDir: paths.defaultsDir } : {}), dataDir: paths.specDir });
    } catch (err) {
      if (!(err instanceof SpecValidationError)) log.log('error', `cannot load the specs: ${(err as Error).message}`);
      else {
        const then = paths.defaultsDir ? 'starting with the generation defaults only' : 'starting no services';
        log.log('error', `${err.message}; ${then} (fix with \`dialogos svc apply\`)`, { issues: JSON.stringify(err.issues).slice(0, 30_000) });
      }
    }
    if (paths.defaultsDir) {
      try {
        return await loadSpecs(fs, { defaultsDir: paths.defaultsDir });
      } catch (err) {
        log.log('error', `the generation's default specs are invalid too: ${(err as Error).message}; starting no services`);
      }
    }
    return validateSpecs([]);
  };
  return {
    manager,
    cgroups: c.cgroups.description,
    async start() {
      const set = await load();
      await manager.start(set);
      return set;
    },
  };
}
