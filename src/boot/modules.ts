// Loads the kernel modules the boot stage needs to find and mount /data. Debian builds virtio, ext4 and
// the rest as modules; ones missing from this kernel (built in, or absent from the closure) are fine.
import type { BootPlatform } from './platform.js';
import { TOOLS } from './platform.js';

export const BOOT_MODULES: readonly string[] = [
  'virtio_pci', 'virtio_blk', 'virtio_scsi', 'virtio_rng', 'virtio_console', 'nvme', 'ahci', 'sd_mod',
  'xhci_pci', 'xhci_hcd', 'usb_storage', 'uas', 'crc32c_generic', 'ext4', 'overlay', 'loop', 'squashfs',
  'erofs', 'vfat', 'nls_cp437', 'nls_ascii', 'efivarfs',
];

/**
 * Loads the modules with one `modprobe -a` (one process instead of one per module: each spawn costs
 * tens of milliseconds under emulation); returns the names absent from /sys/module afterwards, which
 * are either built in without parameters or not in this kernel (reported on one line, not fatal).
 */
export function loadModules(p: BootPlatform, names: readonly string[] = BOOT_MODULES): string[] {
  p.run([TOOLS.modprobe, '-a', '-q', ...names]);
  return names.filter((name) => !p.exists(`/sys/module/${name}`));
}
