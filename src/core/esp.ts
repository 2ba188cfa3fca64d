// Finds the EFI system partition without udev or blkid: a partition whose GPT type is the ESP type, read
// from the disk's own partition table, or (when the table cannot be read) whose GPT name is "ESP".
import { open, readFile, readdir, realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { EspNotFoundError } from './errors.js';

export const ESP_TYPE_GUID = 'c12a7328-f81f-11d2-ba4b-00a0c93ec93b';

/** Formats 16 GPT GUID bytes (first three fields little-endian) as the usual text form. */
export function formatGuid(b: Uint8Array): string {
  const hex = (i: number, n: number, rev: boolean): string => {
    const bytes = Array.from(b.subarray(i, i + n));
    if (rev) bytes.reverse();
    return bytes.map((x) => x.toString(16).padStart(2, '0')).join('');
  };
  return `${hex(0, 4, true)}-${hex(4, 2, true)}-${hex(6, 2, true)}-${hex(8, 2, false)}-${hex(10, 6, false)}`;
}

/**
 * Reads the type GUID of partition `partn` (1-based) from a GPT header and entry array.
 * `read(offset, length)` reads the disk. Returns null when there is no valid-looking GPT or no such entry.
 */
export async function gptPartitionType(
  read: (offset: number, length: number) => Promise<Uint8Array>,
  sectorSize: number,
  partn: number,
): Promise<string | null> {
  const hdr = await read(sectorSize, 92);
  if (hdr.length < 92 || new TextDecoder('latin1').decode(hdr.subarray(0, 8)) !== 'EFI PART') return null;
  const dv = new DataView(hdr.buffer, hdr.byteOffset, hdr.byteLength);
  const entriesLba = Number(dv.getBigUint64(72, true));
  const count = dv.getUint32(80, true);
  const size = dv.getUint32(84, true);
  if (partn < 1 || partn > count || size < 128 || size > 4096) return null;
  const entry = await read(entriesLba * sectorSize + (partn - 1) * size, 16);
  return entry.length === 16 ? formatGuid(entry) : null;
}

async function readUevent(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const text = await readFile(join(dir, 'uevent'), 'utf8').catch(() => '');
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

async function typeFromDisk(sysBlock: string, partDir: string, partn: number, devDir: string): Promise<string | null> {
  try {
    // /sys/class/block/vda1 links into .../block/vda/vda1: the parent directory is the whole disk.
    const disk = basename(dirname(await realpath(partDir)));
    const sector = Number((await readFile(join(sysBlock, disk, 'queue', 'logical_block_size'), 'utf8').catch(() => '512')).trim()) || 512;
    const fh = await open(join(devDir, disk), 'r');
    try {
      return await gptPartitionType(async (offset, length) => {
        const buf = new Uint8Array(length);
        const { bytesRead } = await fh.read(buf, 0, length, offset);
        return buf.subarray(0, bytesRead);
      }, sector, partn);
    } finally {
      await fh.close();
    }
  } catch {
    return null;
  }
}

/**
 * Returns the device path (`/dev/vda1`) of the EFI system partition.
 * @throws EspNotFoundError when no partition has the ESP type GUID or the name "ESP"
 */
export async function findEspDevice(sysBlock = '/sys/class/block', devDir = '/dev'): Promise<string> {
  const names = await readdir(sysBlock).catch(() => [] as string[]);
  let byName: string | null = null;
  for (const name of names.sort()) {
    const dir = join(sysBlock, name);
    const ev = await readUevent(dir);
    if (ev.DEVTYPE !== 'partition' || !ev.PARTN) continue;
    const type = await typeFromDisk(sysBlock, dir, Number(ev.PARTN), devDir);
    if (type === ESP_TYPE_GUID) return join(devDir, ev.DEVNAME ?? name);
    if (byName === null && /^(esp|efi system partition)$/i.test(ev.PARTNAME ?? '')) byName = join(devDir, ev.DEVNAME ?? name);
  }
  if (byName !== null) return byName;
  throw new EspNotFoundError(`Cannot find the EFI system partition: no partition in "${sysBlock}" has the ESP type or the name "ESP"`);
}
