// The real components of the service manager in one call, for the composition root (booted or host mode).
import { join } from 'node:path';
import { createNodeFileSystem } from '../../gen/index.js';
import { realClock, realSpawner } from './os-node.js';
import { detectCgroups } from './cgroups-detect.js';
import { entropyController } from './kind-entropy.js';
import { mountController } from './kind-mount.js';
import { networkController } from './kind-network.js';
import { timeController } from './kind-time.js';
import { createNodeSysOps } from './sysops-node.js';
import { persistEnabled } from './load.js';
import type { ServiceManagerComponents } from './manager.js';
import type { OutputSink, Stream } from './ports.js';
import { nodeProbes } from './probes-node.js';
import { createNodeRunner } from './runner-node.js';
import { fileRunState } from './runstate.js';
import { passwdResolver } from './users.js';

export interface RealServicesOptions {
  /** Where pids are recorded for adoption, e.g. /run/dialogos/services.json or <state>/run/services.json. */
  runStatePath: string;
  /** Names this instance's cgroups (host instances side by side must differ), e.g. "main" or a hash of --state. */
  instance: string;
  /** The cgroup v2 root for services; booted: /sys/fs/cgroup/dialogos. Host mode: leave unset to detect. */
  cgroupV2Root?: string;
  /** Where enable/disable persist as override files (the /data spec directory). */
  dataSpecDir?: string;
  /** PATH and friends every service starts with (a spec's env is merged over it). */
  baseEnv?: Record<string, string>;
  /** A sink for one process's stdout or stderr bytes: the journal. */
  output?(unit: string, stream: Stream): OutputSink;
  warn?(message: string): void;
  /**
   * Where the mount, network, time and entropy controllers act. `host`: a host instance, which leaves
   * the host's network, host name and clock alone, mounts only as root, and keeps its seed under `stateDir`.
   */
  system?: { host: boolean; runDir: string; stateDir?: string };
}

const DEFAULT_SEED = '/data/dialogos/random-seed';

/** Never throws for missing cgroups: the returned `cgroups.description` says what this machine allows. */
export async function createRealServiceComponents(o: RealServicesOptions): Promise<ServiceManagerComponents> {
  const fs = createNodeFileSystem();
  const cgroups = await detectCgroups({ instance: o.instance, ...(o.cgroupV2Root ? { v2Root: o.cgroupV2Root } : {}) });
  const baseEnv = o.baseEnv ?? { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' };
  const uid = process.getuid?.() ?? 0;
  let controllers: ServiceManagerComponents['controllers'];
  if (o.system) {
    const sys = o.system;
    const ops = await createNodeSysOps({ runDir: sys.runDir, baseEnv, loadDrivers: !sys.host });
    const root = uid === 0 ? undefined : 'needs root (dialogosd runs as uid ' + uid + ')';
    const hostWhy = (what: string) => (sys.host ? `a host instance leaves the host's ${what} alone` : root);
    controllers = {
      entropy: entropyController(ops.entropy, sys.host && sys.stateDir ? { seedPath: (s) => (s.seedFile === DEFAULT_SEED ? join(sys.stateDir!, 'random-seed') : s.seedFile) } : {}),
      network: networkController(ops.net, { ...(hostWhy('network and host name') ? { unsupported: hostWhy('network and host name')! } : {}) }),
      time: timeController(ops.time, { ...(hostWhy('clock and time zone') ? { unsupported: hostWhy('clock and time zone')! } : {}) }),
      mount: mountController(ops.mount, { ...(root ? { unsupported: root } : {}), ...(o.warn ? { warn: o.warn } : {}) }),
    };
  }
  return {
    ...(controllers ? { controllers } : {}),
    runner: createNodeRunner(),
    cgroups,
    clock: realClock,
    probes: nodeProbes,
    spawner: realSpawner,
    users: passwdResolver(),
    uid,
    baseEnv,
    runState: fileRunState(o.runStatePath),
    ...(o.dataSpecDir ? { persistEnabled: (name: string, enabled: boolean) => persistEnabled(fs, o.dataSpecDir!, 'service', name, enabled) } : {}),
    ...(o.output ? { output: o.output } : {}),
    ...(o.warn ? { warn: o.warn } : {}),
  };
}
