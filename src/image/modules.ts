// The kernel module closure of the base layer: what an x86-64 machine (VM or PC) needs to find its disk,
// mount /data and the generation, and reach the network. Dependencies come from modprobe itself.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { execText } from './exec.js';
import { ToolError } from './errors.js';

export const BOOT_MODULES = [
  'virtio_blk', 'virtio_net', 'virtio_pci', 'virtio_console', 'virtio_rng', 'virtio_scsi',
  // sd_mod gives SATA and USB disks their /dev/sdX: no symbol dependency pulls it in. usbhid +
  // hid_generic: a PC's USB keyboard for the boot menu.
  'nvme', 'ahci', 'sd_mod', 'xhci_pci', 'usb_storage', 'uas', 'usbhid', 'hid_generic', 'e1000', 'e1000e', 'r8169',
  'ext4', 'vfat', 'nls_cp437', 'nls_ascii', 'efivarfs', 'squashfs', 'erofs', 'overlay', 'loop',
  // The kernel asks for crc32c when mounting ext4; crc32c-intel does not load under TCG's default CPU.
  'crc32c_generic',
];

/** Framebuffer drivers: built into Debian's kernel (no module), modules in others. Absent is fine. */
export const OPTIONAL_MODULES = ['efifb', 'simpledrm'];

/**
 * Resolves module names to the .ko files (dependencies first) with `modprobe -S <kver> --show-depends`.
 * Built-in modules resolve to nothing.
 * @throws ToolError when a required module is unknown to the kernel
 */
export async function moduleClosure(kver: string, required: readonly string[], optional: readonly string[] = []): Promise<string[]> {
  const files = new Set<string>();
  const resolve = async (name: string, isOptional: boolean) => {
    let out: string;
    try {
      out = await execText('modprobe', ['-S', kver, '--show-depends', name]);
    } catch (e) {
      if (isOptional && e instanceof ToolError) return;
      throw e;
    }
    for (const line of out.split('\n')) {
      const m = /^insmod (\S+)/.exec(line);
      if (m) files.add(m[1]!);
    }
  };
  for (const n of required) await resolve(n, false);
  for (const n of optional) await resolve(n, true);
  return [...files].sort();
}

/**
 * Copies the modules under `root/lib/modules/<kver>/` with the kernel's builtin lists and runs depmod there.
 * @returns the root-relative paths written
 */
export async function stageModules(kver: string, modulesDir: string, koFiles: readonly string[], root: string): Promise<void> {
  const dest = join(root, 'lib', 'modules', kver);
  for (const ko of koFiles) {
    const to = join(dest, relative(modulesDir, ko));
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(ko, to);
  }
  // modprobe needs these to treat built-in modules (crc32c on some kernels) as present.
  for (const f of ['modules.builtin', 'modules.builtin.modinfo', 'modules.order']) {
    copyFileSync(join(modulesDir, f), join(dest, f));
  }
  await execText('depmod', ['-b', root, kver]);
}
