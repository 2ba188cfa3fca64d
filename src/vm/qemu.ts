// startVm: the one way Dialogos starts a QEMU machine (the `up` command, VM tests, the boot bench).
import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { resolveAccel, type AccelChoice } from './accel.js';
import type { DirectKernel, DiskSpec } from './args.js';
import { VmStartError } from './errors.js';
import { launch, type VmHandle } from './launch.js';
import { OVMF_CODE, OVMF_VARS_TEMPLATE } from './paths.js';

export interface VmOptions {
  /** Disk images, first = boot disk. A string is a raw image. */
  disks?: Array<string | DiskSpec>;
  /** Put every disk in snapshot mode (writes are dropped when QEMU exits). */
  snapshot?: boolean;
  /** Default 512 MiB: under TCG more RAM boots slower (page init); 288-512 is the sweet spot here. */
  memoryMiB?: number;
  cpus?: number;
  accel?: AccelChoice;
  cpu?: string;
  /**
   * `uefi` (default): OVMF. `varsFile` keeps the machine's UEFI variables (boot entries, systemd-boot's
   * LoaderEntry* variables) across boots; it is created from OVMF's template when missing. Without it each
   * VM gets a throw-away copy. `bios`: SeaBIOS, for direct-kernel boots that do not need UEFI.
   */
  firmware?: 'uefi' | 'bios';
  varsFile?: string;
  /** Direct kernel boot (-kernel/-initrd/-append) instead of the disk's boot loader. */
  kernel?: DirectKernel;
  /** `capture` (default): console read by waitFor and mirrored to `logFile`. `terminal`: the user's terminal. */
  console?: 'capture' | 'terminal';
  logFile?: string;
  /** Exit instead of rebooting (default false: boot counting tests need reboots). */
  noReboot?: boolean;
  net?: 'none' | 'user';
  extraArgs?: string[];
  /** Where the fallback-to-TCG line goes (default stderr). */
  log?: (line: string) => void;
}

/** Copies OVMF's vars template to `path` unless it exists (or `fresh`). */
export function ensureVarsFile(path: string, fresh = false): string {
  if (fresh || !existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    copyFileSync(OVMF_VARS_TEMPLATE, path);
  }
  return path;
}

/**
 * Starts a VM and returns its handle once QEMU is spawned (not booted: use `waitFor`).
 * @throws VmStartError when a disk, kernel or the firmware is missing.
 * @example
 *   const vm = await startVm({ disks: ['build/dialogos.img'], snapshot: true });
 *   await vm.waitFor(/dialogos ready generation=(\S+)/);
 *   await vm.kill();
 */
export async function startVm(opts: VmOptions): Promise<VmHandle> {
  const disks = (opts.disks ?? []).map((d) => (typeof d === 'string' ? { path: d } : { ...d }));
  for (const d of disks) {
    if (!existsSync(d.path)) throw new VmStartError(`Cannot start VM: disk image "${d.path}" does not exist`);
    if (opts.snapshot) d.snapshot = true;
  }
  if (opts.kernel && !existsSync(opts.kernel.path)) throw new VmStartError(`Cannot start VM: kernel "${opts.kernel.path}" does not exist`);
  let firmware: { code: string; vars: string } | 'bios' = 'bios';
  if ((opts.firmware ?? 'uefi') === 'uefi') {
    if (!existsSync(OVMF_CODE)) throw new VmStartError(`Cannot start VM: OVMF firmware "${OVMF_CODE}" is missing (install ovmf)`);
    const vars = opts.varsFile ?? join(mkdtempSync(join(tmpdir(), 'dialogos-ovmf-')), 'OVMF_VARS.fd');
    firmware = { code: OVMF_CODE, vars: ensureVarsFile(vars) };
  }
  const accel = await resolveAccel(opts.accel ?? 'auto', opts.log);
  const spec = {
    accel, disks, firmware,
    memoryMiB: opts.memoryMiB ?? 512,
    cpus: opts.cpus ?? 1,
    console: opts.console ?? 'capture',
    noReboot: opts.noReboot ?? false,
    net: opts.net ?? 'none',
    extraArgs: opts.extraArgs ?? [],
    ...(opts.cpu ? { cpu: opts.cpu } : {}),
    ...(opts.kernel ? { kernel: opts.kernel } : {}),
  };
  return launch(spec, opts.logFile ? { logFile: opts.logFile } : {});
}
