// VM test harness: each test gets its own copy of a disk image and of the OVMF vars, boots it as often as
// it likes (power cuts included), and whatever happens every QEMU it started is killed before it returns.
// On failure the error carries the console tail and the path of the kept console logs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { ConsoleMatch } from './console.js';
import type { VmHandle } from './launch.js';
import { ensureVarsFile, startVm, type VmOptions } from './qemu.js';

/** Generous: TCG through OVMF + systemd-boot is 22-27 s alone, and the machine is shared. */
export const BOOT_TIMEOUT_MS = 180_000;

export type DiskCopyMode = 'copy' | 'overlay';

export interface MachineOptions extends Omit<VmOptions, 'disks' | 'varsFile' | 'logFile' | 'snapshot'> {
  /**
   * `copy` (default): a sparse raw copy, which host tools (debugfs, mtools, `dialogos gen --image`) read
   * directly. `overlay`: a qcow2 overlay backed by the original (faster to make; host tools cannot read it).
   */
  diskCopy?: DiskCopyMode;
  /** Keep the work folder (disk copy, console logs) even when the test passes. */
  keep?: boolean;
}

/** A test machine: its own disk and UEFI variables, booted any number of times. */
export interface Machine {
  /** The per-test disk (raw when diskCopy is `copy`). */
  readonly disk: string;
  readonly varsFile: string;
  readonly dir: string;
  /** Starts the machine (one boot); the previous boot must have exited or been killed. */
  boot(extra?: Partial<VmOptions>): Promise<VmHandle>;
  /** The running (or last) boot. */
  readonly vm: VmHandle | undefined;
  /** Boots and waits for `marker`. */
  bootUntil(marker: string | RegExp, timeoutMs?: number): Promise<ConsoleMatch>;
  /** Console text of every boot so far, each headed by `=== boot N ===`. */
  transcript(): string;
}

/** Makes `dest` from `src` the chosen way; returns the format QEMU must use. */
export function copyDisk(src: string, dest: string, mode: DiskCopyMode): 'raw' | 'qcow2' {
  if (mode === 'overlay') {
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'raw', '-b', src, dest]);
    return 'qcow2';
  }
  execFileSync('cp', ['--sparse=always', '--reflink=auto', src, dest]);
  return 'raw';
}

/**
 * Runs `fn` with a fresh machine made from `disk` (which is never written).
 * @throws whatever `fn` throws, with the console tail and the log folder added to the message.
 * @example
 *   await withMachine('build/dialogos.img', async (m) => {
 *     await m.bootUntil(/dialogos ready generation=/);
 *     await m.vm!.kill();                       // power cut
 *     await m.bootUntil(/dialogos ready generation=/);
 *   });
 */
export async function withMachine<T>(disk: string, fn: (m: Machine) => Promise<T>, opts: MachineOptions = {}): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'dialogos-test-'));
  const mode = opts.diskCopy ?? 'copy';
  const copy = join(dir, mode === 'copy' ? basename(disk) : 'disk.qcow2');
  const format = copyDisk(disk, copy, mode);
  const varsFile = ensureVarsFile(join(dir, 'OVMF_VARS.fd'));
  const boots: VmHandle[] = [];
  const { diskCopy: _d, keep: _k, ...vmOpts } = opts;
  const machine: Machine = {
    disk: copy, varsFile, dir,
    get vm() { return boots[boots.length - 1]; },
    async boot(extra = {}) {
      const last = boots[boots.length - 1];
      if (last) await last.kill(); // never two QEMUs on one disk
      const vm = await startVm({
        ...vmOpts, ...extra, disks: [{ path: copy, format }], varsFile,
        logFile: join(dir, `console-${boots.length + 1}.log`),
      });
      boots.push(vm);
      return vm;
    },
    async bootUntil(marker, timeoutMs = BOOT_TIMEOUT_MS) {
      const vm = await machine.boot();
      return vm.waitFor(marker, { timeoutMs });
    },
    transcript: () => boots.map((b, i) => `=== boot ${i + 1} ===\n${b.console()}`).join('\n'),
  };
  let failed = true;
  try {
    const result = await fn(machine);
    failed = false;
    return result;
  } catch (err) {
    if (err instanceof Error) {
      const tail = machine.vm?.console().slice(-2000) ?? '';
      const hasTail = err.message.includes('console tail');
      err.message += `${hasTail || !tail ? '' : `\n--- console tail ---\n${tail}`}\n(console logs kept in ${dir})`;
    }
    throw err;
  } finally {
    await Promise.all(boots.map((b) => b.kill()));
    if (!failed && !opts.keep) rmSync(dir, { recursive: true, force: true });
  }
}

/** One boot of a fresh copy of `disk`: `fn` gets the running VM; it is killed afterwards. */
export async function withVm<T>(disk: string, fn: (vm: VmHandle, m: Machine) => Promise<T>, opts: MachineOptions = {}): Promise<T> {
  return withMachine(disk, async (m) => fn(await m.boot(), m), opts);
}
