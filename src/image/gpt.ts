// Reads a GPT partition table from a disk image (header at LBA 1), so the host can address partitions
// of an image in place: debugfs with `?offset=`, mtools with `@@offset`.
import { closeSync, openSync, readSync } from 'node:fs';
import { DiskLayoutError } from './errors.js';

export interface GptPartition {
  /** 1-based, as sgdisk counts. */
  index: number;
  name: string;
  typeGuid: string;
  offset: number;
  size: number;
}

const SECTOR = 512;

function guid(b: Buffer): string {
  // GPT GUIDs are mixed-endian: the first three fields little-endian.
  const h = (s: number, e: number, rev: boolean) => {
    const part = Buffer.from(b.subarray(s, e));
    return (rev ? part.reverse() : part).toString('hex');
  };
  return `${h(0, 4, true)}-${h(4, 6, true)}-${h(6, 8, true)}-${h(8, 10, false)}-${h(10, 16, false)}`.toUpperCase();
}

/** Parses the primary GPT of a buffer holding at least the table's sectors. */
export function parseGpt(disk: Buffer, source = 'disk'): GptPartition[] {
  const hdr = disk.subarray(SECTOR, 2 * SECTOR);
  if (hdr.length < 92 || hdr.toString('latin1', 0, 8) !== 'EFI PART') throw new DiskLayoutError(`Cannot read partitions of "${source}": no GPT header at LBA 1`);
  const entriesLba = Number(hdr.readBigUInt64LE(72));
  const count = hdr.readUInt32LE(80);
  const size = hdr.readUInt32LE(84);
  if (size < 128 || count > 1024) throw new DiskLayoutError(`Cannot read partitions of "${source}": implausible GPT entry table (${count} x ${size})`);
  const out: GptPartition[] = [];
  for (let i = 0; i < count; i++) {
    const at = entriesLba * SECTOR + i * size;
    const e = disk.subarray(at, at + size);
    if (e.length < 128) throw new DiskLayoutError(`Cannot read partitions of "${source}": the entry table is truncated`);
    if (e.subarray(0, 16).every((x) => x === 0)) continue;
    const first = Number(e.readBigUInt64LE(32));
    const last = Number(e.readBigUInt64LE(40));
    const name = e.subarray(56, 128).toString('utf16le').replace(/\0.*$/s, '');
    out.push({ index: i + 1, name, typeGuid: guid(e.subarray(0, 16)), offset: first * SECTOR, size: (last - first + 1) * SECTOR });
  }
  return out;
}

/** The partitions of the disk image file `image`. */
export function readPartitions(image: string): GptPartition[] {
  const fd = openSync(image, 'r');
  try {
    const buf = Buffer.alloc(34 * SECTOR);
    readSync(fd, buf, 0, buf.length, 0);
    return parseGpt(buf, image);
  } finally {
    closeSync(fd);
  }
}

/** The partition named `name`. @throws DiskLayoutError when there is none */
export function findPartition(image: string, name: string): GptPartition {
  const p = readPartitions(image).find((x) => x.name === name);
  if (!p) throw new DiskLayoutError(`Cannot find partition "${name}" in disk image "${image}"`);
  return p;
}
