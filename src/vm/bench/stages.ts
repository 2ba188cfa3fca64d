// Splits one boot's console into stages by markers. Each stage ends at its marker's line (its arrival time
// relative to QEMU start); a marker that never appears (e.g. kernel lines hidden by `quiet`) gives that stage
// null and its time is counted in the next stage that is found.
import type { ConsoleLine } from '../console.js';

export interface StageDef {
  name: string;
  /** What each stage measures, for the README and the JSON. */
  means: string;
  marker: RegExp;
}

export type StageTimes = Record<string, number | null>;

const FIRMWARE: StageDef = { name: 'firmware', means: 'QEMU start -> OVMF starts the boot loader (BdsDxe: starting Boot)', marker: /BdsDxe: starting Boot/ };
const LOADER: StageDef = { name: 'systemd-boot', means: 'systemd-boot + UKI stub -> Linux EFI stub runs (EFI stub: ...)', marker: /EFI stub: / };
const KERNEL: StageDef = { name: 'kernel', means: 'Linux EFI stub -> decompress, kernel init -> Run /init', marker: /Run \/init as init process/ };

export const SYSTEMS: Record<'floor' | 'debian' | 'dialogos', StageDef[]> = {
  floor: [FIRMWARE, LOADER, KERNEL, { name: 'userland', means: '/init (busybox sh) prints its marker', marker: /DIALOGOS-FLOOR-SHELL/ }],
  debian: [FIRMWARE, LOADER, KERNEL, { name: 'userland', means: 'initramfs-tools + systemd -> login: on ttyS0', marker: /login: / }],
  dialogos: [
    FIRMWARE, LOADER, KERNEL,
    { name: 'init', means: 'native PID 1 -> the boot stage (node) prints its first line', marker: /dialogos: boot stage/ },
    { name: 'boot stage', means: 'select + verify + record the try -> hand over', marker: /dialogos: booting generation/ },
    { name: 'ready', means: 'switch_root/kexec -> dialogosd health checks -> dialogos ready', marker: /dialogos ready generation=/ },
  ],
};

/**
 * Dialogos boots with `quiet`, so its kernel prints no marker. The boot stage's first line says how long the
 * kernel has been up; a line at (arrival - uptime) stands for the kernel starting. Kernel time then ends at
 * the stage's line and includes PID 1 and Node starting; the EFI stub's decompression of the kernel image
 * (before the kernel's clock starts) stays in the systemd-boot column.
 */
export function withDerivedKernelStart(lines: ConsoleLine[]): ConsoleLine[] {
  const i = lines.findIndex((l) => /dialogos: boot stage \(kernel up ([\d.]+) s\)/.test(l.text));
  if (i < 0) return lines;
  const up = Number(/kernel up ([\d.]+) s/.exec(lines[i]!.text)![1]);
  const start = { tMs: lines[i]!.tMs - up * 1000, text: 'EFI stub: (derived: kernel clock start from the boot stage\'s uptime)' };
  return [...lines, start].sort((a, b) => a.tMs - b.tMs);
}

/** Stage durations in ms (null when the stage's marker is missing) and the time of the last marker. */
export function stageTimes(lines: ConsoleLine[], defs: StageDef[]): { stages: StageTimes; totalMs: number | null } {
  const stages: StageTimes = {};
  let prev = 0;
  let at = 0;
  for (const def of defs) {
    const idx = lines.findIndex((l, i) => i >= at && def.marker.test(l.text));
    if (idx < 0) {
      stages[def.name] = null;
      continue;
    }
    const t = lines[idx]!.tMs;
    stages[def.name] = Math.round(t - prev);
    prev = t;
    at = idx + 1;
  }
  const last = defs[defs.length - 1]!;
  return { stages, totalMs: stages[last.name] === null ? null : Math.round(prev) };
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2);
}
