// Chooses KVM or TCG. /dev/kvm can exist and still hang guests (nested PVM here), so `auto` boots a kernel
// under KVM once per host with a marker initramfs and falls back to TCG when the marker does not appear within
// seconds. The verdict is cached per kernel + QEMU version in .dialogos/cache/kvm-probe.json.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Accel } from './args.js';
import { KvmUnavailableError } from './errors.js';
import { writeMarkerInitramfs } from './initramfs.js';
import { launch } from './launch.js';
import { cacheDir, QEMU } from './paths.js';

export type AccelChoice = Accel | 'auto';

export interface ProbeResult {
  key: string;
  works: boolean;
  reason: string;
  probedAt: string;
}

const PROBE_MARKER = 'DIALOGOS-KVM-PROBE-OK';
// A working KVM boots a kernel to /init in 1-2 s; a hung one never prints. Margin for a loaded host.
const PROBE_TIMEOUT_MS = 12_000;

/** The newest /boot/vmlinuz-* (the kernel the image builder also uses). */
export function hostKernel(): string {
  const names = readdirSync('/boot').filter((n) => n.startsWith('vmlinuz-')).sort();
  const last = names[names.length - 1];
  if (!last) throw new KvmUnavailableError('Cannot probe KVM: no /boot/vmlinuz-* kernel (install linux-image-amd64)');
  return join('/boot', last);
}

export function qemuVersion(qemu = QEMU): string {
  return execFileSync(qemu, ['--version'], { encoding: 'utf8' }).split('\n')[0] ?? 'unknown';
}

function probeKey(kernel: string, qemu: string): string {
  const st = statSync(kernel);
  return `${kernel}:${st.size}:${st.mtimeMs}:${qemuVersion(qemu)}`;
}

/** Boots `kernel` under KVM with a marker initramfs; never throws. */
export async function probeKvm(kernel = hostKernel(), qemu = QEMU): Promise<Omit<ProbeResult, 'key' | 'probedAt'>> {
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
  } catch (err) {
    return { works: false, reason: `/dev/kvm is not usable (${(err as NodeJS.ErrnoException).code})` };
  }
  const dir = mkdtempSync(join(tmpdir(), 'dialogos-kvm-probe-'));
  try {
    const initrd = writeMarkerInitramfs(join(dir, 'probe.cpio'), { marker: PROBE_MARKER });
    const vm = launch({
      accel: 'kvm', disks: [], memoryMiB: 256, cpus: 1, firmware: 'bios', console: 'capture', noReboot: true,
      net: 'none', extraArgs: [], kernel: { path: kernel, initrd, append: 'console=ttyS0 panic=-1' },
    }, { qemu });
    try {
      await vm.waitFor(PROBE_MARKER, { timeoutMs: PROBE_TIMEOUT_MS });
      return { works: true, reason: 'a kernel booted to /init under KVM' };
    } catch (err) {
      const e = err as Error;
      const why = e.name === 'VmTimeoutError'
        ? `a kernel did not reach /init under KVM within ${PROBE_TIMEOUT_MS / 1000} s`
        : `QEMU failed under KVM: ${(vm.stderr().trim().split('\n')[0] ?? e.message).slice(0, 200)}`;
      return { works: false, reason: why };
    } finally {
      await vm.kill();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The cached verdict for this kernel and QEMU, probing when there is none. */
export async function kvmVerdict(opts: { kernel?: string; qemu?: string; cache?: string } = {}): Promise<ProbeResult> {
  const kernel = opts.kernel ?? hostKernel();
  const qemu = opts.qemu ?? QEMU;
  const file = join(opts.cache ?? cacheDir(), 'kvm-probe.json');
  const key = probeKey(kernel, qemu);
  try {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as ProbeResult;
    if (cached.key === key) return cached;
  } catch { /* no cache yet, or unreadable: probe again */ }
  const result: ProbeResult = { key, ...(await probeKvm(kernel, qemu)), probedAt: new Date().toISOString() };
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  return result;
}

let announced = false;

/**
 * Resolves `auto` to kvm or tcg. Prints one line (through `log`) when falling back.
 * `kvm` is taken at its word: a user who forces it gets what QEMU does.
 */
export async function resolveAccel(choice: AccelChoice, log: (line: string) => void = (l) => process.stderr.write(l + '\n')): Promise<Accel> {
  if (choice !== 'auto') return choice;
  const verdict = await kvmVerdict();
  if (verdict.works) return 'kvm';
  if (!announced) log(`dialogos: using TCG (software emulation): ${verdict.reason}`);
  announced = true;
  return 'tcg';
}
