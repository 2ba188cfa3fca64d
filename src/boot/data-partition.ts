// Finds the data partition by its ext4 label and mounts it at /data. Block devices appear asynchronously
// after their drivers load, so the scan repeats until a limit.
import { DataPartitionNotFoundError } from './errors.js';
import type { BootPlatform } from './platform.js';
import { mountFs } from './mounts.js';

export const DATA_LABEL = 'DIALOGOS_DATA';
export const DATA_WAIT_MS = 10_000;
const POLL_MS = 50;
/** ext4 superblock: starts at byte 1024; magic 0xEF53 at +56, volume label (16 bytes) at +120. */
const SB = 1024;

/** The ext4 label of a device or image, or null when it holds no ext2/3/4 superblock. */
export function readExt4Label(p: BootPlatform, device: string): string | null {
  const sb = p.readAt(device, SB, 136);
  if (!sb || sb.length < 136 || sb[56] !== 0x53 || sb[57] !== 0xef) return null;
  const raw = sb.subarray(120, 136);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? 16 : end).toString('latin1');
}

/** One scan of /sys/class/block; the device path with the label, or null. */
export function findByLabel(p: BootPlatform, label: string): string | null {
  for (const name of p.listDir('/sys/class/block').sort()) {
    const dev = `/dev/${name}`;
    if (readExt4Label(p, dev) === label) return dev;
  }
  return null;
}

/**
 * Waits for the labelled partition.
 * @throws DataPartitionNotFoundError after `limitMs`, naming the devices it saw.
 */
export async function waitForDataPartition(p: BootPlatform, limitMs: number, label = DATA_LABEL): Promise<string> {
  const deadline = p.now() + limitMs;
  for (;;) {
    const dev = findByLabel(p, label);
    if (dev) return dev;
    if (p.now() >= deadline) break;
    await p.sleep(Math.min(POLL_MS, Math.max(1, deadline - p.now())));
  }
  const seen = p.listDir('/sys/class/block').sort().join(', ') || 'none';
  throw new DataPartitionNotFoundError(
    `Cannot find the data partition: no ext4 file system labelled "${label}" appeared within ${limitMs} ms (block devices: ${seen})`,
  );
}

/** Mounts the data partition read-write; ext4's journal replay makes a fsck unnecessary at boot. */
export function mountData(p: BootPlatform, device: string, target = '/data'): void {
  mountFs(p, 'ext4', device, target, 'rw,noatime');
}
