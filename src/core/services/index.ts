// The declarative service layer of dialogosd: specs (data, validated) -> controllers -> status. Only what
// dialogosd and the API use; the tests reach the modules themselves.
export { validateSpecs } from './validate.js';
export type { RawSpec, SpecSet } from './validate.js';
export { loadSpecs, readSpecDir, mergeLayers, overrideFile } from './load.js';
export { createServiceManager } from './manager.js';
export type { ServiceManager } from './manager.js';
export type { StatusBoard, UnitStatus } from './status.js';
export type { Clock, Spawner, SpawnResult, OutputSink, Stream } from './ports.js';
export { realClock, realSpawner } from './os-node.js';
export { createRealServiceComponents } from './real.js';
export * from './errors.js';
// The sandbox of the self-improvement loop (src/evolve/sandbox) limits and measures its runs with these.
export { detectCgroups } from './cgroups-detect.js';
export type { CgroupDetectOptions } from './cgroups-detect.js';
export type { Cgroups, CgroupLimits, CgroupUsage, AppliedLimits } from './ports.js';
