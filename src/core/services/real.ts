// The real components of the service manager in one call, for the composition root (booted or host mode).
import { createNodeFileSystem } from '../../gen/index.js';
import { realClock, realSpawner } from '../real.js';
import { detectCgroups } from './cgroups-detect.js';
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
}

/** Never throws for missing cgroups: the returned `cgroups.description` says what this machine allows. */
export async function createRealServiceComponents(o: RealServicesOptions): Promise<ServiceManagerComponents> {
  const fs = createNodeFileSystem();
  const cgroups = await detectCgroups({ instance: o.instance, ...(o.cgroupV2Root ? { v2Root: o.cgroupV2Root } : {}) });
  return {
    runner: createNodeRunner(),
    cgroups,
    clock: realClock,
    probes: nodeProbes,
    spawner: realSpawner,
    users: passwdResolver(),
    uid: process.getuid?.() ?? 0,
    baseEnv: o.baseEnv ?? { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
    runState: fileRunState(o.runStatePath),
    ...(o.dataSpecDir ? { persistEnabled: (name: string, enabled: boolean) => persistEnabled(fs, o.dataSpecDir!, 'service', name, enabled) } : {}),
    ...(o.output ? { output: o.output } : {}),
    ...(o.warn ? { warn: o.warn } : {}),
  };
}
