// Mount steps through busybox mount: the initramfs already carries busybox for modprobe and the emergency
// shell, and its mount speaks bind/move/remount, so the stage needs no native addon for mount(2).
import { MountError } from './errors.js';
import type { BootPlatform } from './platform.js';
import { TOOLS } from './platform.js';

function mount(p: BootPlatform, what: string, args: string[]): void {
  const r = p.run([TOOLS.busybox, 'mount', ...args]);
  if (r.status === 0) return;
  const why = (r.error?.message ?? r.stderr.trim()) || `exit status ${String(r.status)}`;
  throw new MountError(`Cannot ${what}: ${why}`);
}

export function mountFs(p: BootPlatform, type: string, source: string, target: string, options: string): void {
  p.mkdir(target);
  mount(p, `mount ${type} "${source}" on "${target}"`, ['-t', type, '-o', options, source, target]);
}

/** A read-only bind: the bind itself ignores `ro`, so a remount makes it read-only. */
export function bindReadOnly(p: BootPlatform, source: string, target: string): void {
  p.mkdir(target);
  mount(p, `bind "${source}" on "${target}"`, ['-o', 'bind', source, target]);
  mount(p, `make "${target}" read-only`, ['-o', 'remount,bind,ro', target]);
}

export function moveMount(p: BootPlatform, source: string, target: string): void {
  p.mkdir(target);
  mount(p, `move "${source}" to "${target}"`, ['-o', 'move', source, target]);
}
