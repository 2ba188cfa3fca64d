// The VM subsystem's public face: start QEMU machines, watch their consoles, run VM tests, benchmark boots.
export { startVm, ensureVarsFile, type VmOptions } from './qemu.js';
export { liveVmCount, type VmHandle, type VmExit } from './launch.js';
export type { Accel, DiskSpec, DirectKernel } from './args.js';
export { resolveAccel, kvmVerdict, hostKernel, type AccelChoice, type ProbeResult } from './accel.js';
export type { ConsoleLine, ConsoleMatch, WaitOptions } from './console.js';
export { withMachine, withVm, copyDisk, BOOT_TIMEOUT_MS, type Machine, type MachineOptions, type DiskCopyMode } from './harness.js';
export { markerInitramfs, writeMarkerInitramfs } from './initramfs.js';
export { HOST_PACKAGES, BENCH_PACKAGES } from './packages.js';
export { ensurePackages, missingPackages } from './deps.js';
export { ensureImage, defaultImagePath } from './inputs.js';
export { projectRoot, cacheDir, buildDir } from './paths.js';
export { VmStartError, VmTimeoutError, VmExitedError, MissingPackagesError, KvmUnavailableError } from './errors.js';
