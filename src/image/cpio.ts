// A writer for the Linux initramfs archive format ("newc" cpio, see the kernel's
// Documentation/driver-api/early-userspace/buffer-format.rst). Writing it ourselves lets the archive hold
// /dev/console without root (no mknod) and makes it reproducible: sorted, fixed owners, one mtime.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { posix } from 'node:path';

export type CpioEntry =
  | { type: 'dir'; path: string; mode?: number }
  | { type: 'file'; path: string; mode: number; source: string }
  | { type: 'data'; path: string; mode: number; data: Buffer }
  | { type: 'symlink'; path: string; target: string }
  | { type: 'char'; path: string; mode: number; major: number; minor: number };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

/** Normalises an archive path: no leading "/", no "." or ".." segments. */
export function archivePath(p: string): string {
  // Check before normalising: normalize('/../x') silently clamps to '/x'.
  const n = posix.normalize('/' + p).slice(1);
  if (n === '' || p.split('/').includes('..')) throw new Error(`Cannot archive path "${p}": it leaves the root`);
  return n;
}

/** Adds the parent directories every entry needs and sorts by path, so parents precede children. */
export function completeEntries(entries: readonly CpioEntry[]): CpioEntry[] {
  const byPath = new Map<string, CpioEntry>();
  for (const e of entries) {
    const path = archivePath(e.path);
    byPath.set(path, { ...e, path });
    for (let d = posix.dirname(path); d !== '.'; d = posix.dirname(d)) {
      if (!byPath.has(d)) byPath.set(d, { type: 'dir', path: d });
    }
  }
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function header(f: { ino: number; mode: number; nlink: number; mtime: number; size: number; rmaj: number; rmin: number; nameSize: number }): Buffer {
  const hex = (n: number) => n.toString(16).padStart(8, '0');
  const fields = [f.ino, f.mode, 0, 0, f.nlink, f.mtime, f.size, 0, 0, f.rmaj, f.rmin, f.nameSize, 0];
  return Buffer.from('070701' + fields.map(hex).join(''), 'ascii');
}

const pad4 = (n: number) => Buffer.alloc((4 - (n % 4)) % 4);

/**
 * Writes a newc archive of `entries` to `outFile`; every entry gets owner 0:0 and mtime `mtime`.
 * @returns the archive's size in bytes
 */
export function writeCpio(outFile: string, entries: readonly CpioEntry[], mtime: number): number {
  const fd = openSync(outFile, 'w');
  let offset = 0;
  const put = (b: Buffer) => { writeSync(fd, b); offset += b.length; };
  const record = (ino: number, name: string, mode: number, nlink: number, body: Buffer, rmaj = 0, rmin = 0) => {
    const nameBuf = Buffer.from(name + '\0', 'utf8');
    const head = header({ ino, mode, nlink, mtime, size: body.length, rmaj, rmin, nameSize: nameBuf.length });
    put(head); put(nameBuf); put(pad4(head.length + nameBuf.length));
    put(body); put(pad4(body.length));
  };
  try {
    let ino = 1;
    for (const e of completeEntries(entries)) {
      switch (e.type) {
        case 'dir': record(ino++, e.path, S_IFDIR | (e.mode ?? 0o755), 2, Buffer.alloc(0)); break;
        case 'file': record(ino++, e.path, S_IFREG | e.mode, 1, readFileSync(e.source)); break;
        case 'data': record(ino++, e.path, S_IFREG | e.mode, 1, e.data); break;
        case 'symlink': record(ino++, e.path, S_IFLNK | 0o777, 1, Buffer.from(e.target, 'utf8')); break;
        case 'char': record(ino++, e.path, S_IFCHR | e.mode, 1, Buffer.alloc(0), e.major, e.minor); break;
      }
    }
    record(0, 'TRAILER!!!', 0, 1, Buffer.alloc(0));
  } finally {
    closeSync(fd);
  }
  return offset;
}
