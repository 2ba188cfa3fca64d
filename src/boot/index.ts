// Public face of src/boot: the boot stage and the seams the composition root binds.
export { runStage } from './stage.js';
export type { StageDeps } from './stage.js';
export type { BootPlatform, RunResult } from './platform.js';
export { TOOLS } from './platform.js';
export { createNodePlatform } from './platform-node.js';
export type { BootStore, BootDecision, Mark, OpenBootStore, SelectOptions, VerifiedGeneration } from './store.js';
export { parseCmdline } from './cmdline.js';
export type { BootCmdline } from './cmdline.js';
export { readExt4Label, DATA_LABEL } from './data-partition.js';
export { mainArgv } from './handover.js';
export { kexecArgv } from './kexec.js';
export { BOOT_MODULES } from './modules.js';
export * from './errors.js';
export type { KeyReader } from './platform.js';
export { bindGenStore } from './gen-binding.js';
export type { GenApi } from './gen-binding.js';
