// Where the base layer's host inputs are: Debian's kernel, its modules, busybox, Node, systemd's EFI files.
import { existsSync, readdirSync } from 'node:fs';
import { ImageInputError } from './errors.js';

export interface HostInputs {
  kver: string;
  kernel: string;
  modulesDir: string;
  busybox: string;
  node: string;
  efiStub: string;
  systemdBoot: string;
  osRelease: string;
}

/** Picks the newest installed kernel that has a modules directory, unless `kver` names one. */
export function findHostInputs(kver?: string): HostInputs {
  const versions = kver ? [kver] : readdirSync('/lib/modules').filter((v) => existsSync(`/boot/vmlinuz-${v}`)).sort().reverse();
  const k = versions[0];
  if (!k) throw new ImageInputError('Cannot build the base layer: no kernel in /boot with modules in /lib/modules');
  const inputs: HostInputs = {
    kver: k,
    kernel: `/boot/vmlinuz-${k}`,
    modulesDir: `/lib/modules/${k}`,
    busybox: '/bin/busybox',
    node: process.execPath,
    efiStub: '/usr/lib/systemd/boot/efi/linuxx64.efi.stub',
    systemdBoot: '/usr/lib/systemd/boot/efi/systemd-bootx64.efi',
    osRelease: '/etc/os-release',
  };
  for (const [what, p] of Object.entries(inputs)) {
    if (what !== 'kver' && !existsSync(p)) throw new ImageInputError(`Cannot build the image: ${what} "${p}" does not exist`);
  }
  return inputs;
}
