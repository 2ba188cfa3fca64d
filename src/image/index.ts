// The image builder's public face: build a bootable GPT disk image, tell whether it is stale, and reach
// into a built image from the host (data partition as a FileSystem, ESP entries).
export { buildImage, isImageStale, imageInputDigest, digestFileOf, DEFAULT_COMPRESSION, DEFAULT_MODEL_PATH, type ImageBuildOptions, type ImageBuildResult } from './build.js';
export { buildGenerationTree, readHealthDefaults, LLM_WORKER_BUNDLE, type ExtraFile, CLI_BUNDLE, GENERATION_ENTRY, SHIPPED_PATHS, SHIPPED_MODULES, DEFAULT_HEALTH } from './generation-tree.js';
export { buildInitramfs, sharedLibraries, BUSYBOX_APPLETS, type Compression } from './initramfs.js';
export { BOOT_MODULES, OPTIONAL_MODULES, moduleClosure } from './modules.js';
export { buildUki, DEFAULT_CMDLINE } from './uki.js';
export { buildEsp, ukiEntryName, LOADER_CONF } from './esp.js';
export { buildDisk, createDisk } from './disk.js';
export { buildDataPartition, DATA_LABEL } from './data-partition.js';
export { readPartitions, findPartition } from './gpt.js';
export { DebugfsFileSystem } from './debugfs-fs.js';
export { EspAccess } from './esp-access.js';
export { openDataPartition, openEsp, ESP_PARTITION, DATA_PARTITION } from './disk-access.js';
export { cpioArchive, type CpioEntry } from './cpio.js';
export { buildNative, defaultGen, genBinding, stageEntry, unboundGen, type GenBinding, type NativeBinaries } from './inputs.js';
export { ToolError, ImageInputError, DiskLayoutError, ImageFsError, BundleError } from './errors.js';
