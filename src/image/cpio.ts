// A writer for the Linux initramfs archive format ("newc" cpio, see the kernel's
// Documentation/driver-api/early-userspace/buffer-format.rst). Writing it ourselves lets the archive hold
// /dev/console without root (no mknod) and makes it reproducible: sorted, fixed owners, one mtime.
// The one cpio writer: the base layer's initramfs here, the VM runner's marker initramfs in src/vm.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { posix } from 'node:path';

export type CpioEntry =
  | { type: 'dir'; path: string; mode?: number }
  | { type: 'file'; path: string; mode: number; source: string }
  | { type: 'data'; path: string; mode?: number; data: Uint8Array | string }
  | { type: 'symlink'; path: string; target: string }
  | { type: 'char'; path: string; mode?: number; major: number; minor: number };

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

/** The archive's bytes in order, one record at a time (an initramfs with Node in it is not built in memory). */
function* records(entries: readonly CpioEntry[], mtime: number): Generator<Buffer> {
  function* record(ino: number, name: string, mode: number, nlink: number, body: Buffer, rmaj = 0, rmin = 0): Generator<Buffer> {
    const nameBuf = Buffer.from(name + '\0', 'utf8');
    const head = header({ ino, mode, nlink, mtime, size: body.length, rmaj, rmin, nameSize: nameBuf.length });
    yield head; yield nameBuf; yield pad4(head.length + nameBuf.length);
    yield body; yield pad4(body.length);
  }
  let ino = 1;
  for (const e of completeEntries(entries)) {
    switch (e.type) {
      case 'dir': yield* record(ino++, e.path, S_IFDIR | (e.mode ?? 0o755), 2, Buffer.alloc(0)); break;
      case 'file': yield* record(ino++, e.path, S_IFREG | e.mode, 1, readFileSync(e.source)); break;
      case 'data': yield* record(ino++, e.path, S_IFREG | (e.mode ?? 0o644), 1, Buffer.from(e.data)); break;
      case 'symlink': yield* record(ino++, e.path, S_IFLNK | 0o777, 1, Buffer.from(e.target, 'utf8')); break;
      case 'char': yield* record(ino++, e.path, S_IFCHR | (e.mode ?? 0o600), 1, Buffer.alloc(0), e.major, e.minor); break;
    }
  }
  yield* record(0, 'TRAILER!!!', 0, 1, Buffer.alloc(0));
}

/**
 * Writes a newc archive of `entries` to `outFile`; every entry gets owner 0:0 and mtime `mtime`.
 * @returns the archive's size in bytes
 * @throws the fs error of a missing `source` or an unwritable `outFile`; Error for a path that leaves the root
 */
export function writeCpio(outFile: string, entries: readonly CpioEntry[], mtime: number): number {
  const fd = openSync(outFile, 'w');
  let offset = 0;
  try {
    for (const b of records(entries, mtime)) { writeSync(fd, b); offset += b.length; }
  } finally {
    closeSync(fd);
  }
  return offset;
}

/**
 * The same archive in memory, for small ones (the VM runner's marker initramfs); mtime 0 unless given.
 * @throws as {@link writeCpio}
 */
export function cpioArchive(entries: readonly CpioEntry[], mtime = 0): Buffer {
  return Buffer.concat([...records(entries, mtime)]);
}
