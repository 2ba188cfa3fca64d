// dialogosd's public face: the daemon the CLI runs, the instance paths and pid file the CLI reads, the
// power request and the ports the composition root binds. The service layer, the journal and the API are
// subsystems of their own (services/, journal/, api/), each with its index.ts.
export { runDaemon } from './daemon.js';
export { dataPaths } from './daemon-context.js';
export type { DaemonOptions } from './daemon-context.js';
export { requestPower, pid1Power, recordingPower } from './power.js';
export { readHandover } from './handover.js';
export type { Handover } from './handover.js';
export type { GenBindings, GenerationStore, SigningKey, StateReading, PowerAction } from './ports.js';
export { machinePaths, statePaths, resolveInstance } from './instance.js';
export type { InstancePaths } from './instance.js';
export { isDialogosd, readPid, InstanceRunningError } from './pidfile.js';
export * from './errors.js';
