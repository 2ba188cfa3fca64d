// Tiny busybox-static initramfs images that print a marker: the KVM probe, the runner's own tests and the
// boot benchmark's floor use them. busybox-static is a Debian package the project installs.
import { writeFileSync } from 'node:fs';
import { cpioArchive, type CpioEntry } from '../image/index.js';

export const BUSYBOX = '/bin/busybox';

export interface MarkerInitramfsOptions {
  /** Printed on the console by /init (on its own line). */
  marker: string;
  /** Shell run after the marker (default: power off at once). */
  after?: string;
}

/** Returns the cpio bytes of an initramfs whose /init prints the marker and then runs `after`. */
export function markerInitramfs(opts: MarkerInitramfsOptions): Buffer {
  const after = opts.after ?? 'poweroff -f';
  const init = [
    '#!/bin/busybox sh',
    '/bin/busybox --install -s /bin',
    'mount -t proc proc /proc',
    'mount -t sysfs sysfs /sys',
    'mount -t devtmpfs dev /dev 2>/dev/null',
    `echo "${opts.marker.replace(/["\\$`]/g, '\\$&')}"`,
    after,
    // PID 1 must never exit: the kernel would panic instead of powering off.
    'while true; do poweroff -f; sleep 1; done',
    '',
  ].join('\n');
  const entries: CpioEntry[] = [
    { type: 'dir', path: 'bin' },
    { type: 'dir', path: 'dev' },
    { type: 'dir', path: 'proc' },
    { type: 'dir', path: 'sys' },
    { type: 'dir', path: 'sbin' },
    { type: 'char', path: 'dev/console', major: 5, minor: 1 },
    { type: 'char', path: 'dev/null', major: 1, minor: 3, mode: 0o666 },
    { type: 'file', path: 'bin/busybox', source: BUSYBOX, mode: 0o755 },
    { type: 'data', path: 'init', data: init, mode: 0o755 },
  ];
  return cpioArchive(entries);
}

/** Writes `markerInitramfs(opts)` to `path` and returns the path. */
export function writeMarkerInitramfs(path: string, opts: MarkerInitramfsOptions): string {
  writeFileSync(path, markerInitramfs(opts));
  return path;
}
