// A writer for the newc cpio format the kernel unpacks as an initramfs. Written here rather than shelling out
// to cpio(1) so device nodes (/dev/console) go in without root and the bytes are reproducible (mtime 0).

/** One entry of the archive. Directories must precede their contents. */
export type CpioEntry =
  | { kind: 'dir'; path: string; mode?: number }
  | { kind: 'file'; path: string; data: Uint8Array | string; mode?: number }
  | { kind: 'symlink'; path: string; target: string }
  | { kind: 'chardev'; path: string; major: number; minor: number; mode?: number };

const TYPE = { dir: 0o040000, file: 0o100000, symlink: 0o120000, chardev: 0o020000 } as const;

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

function pad4(len: number): Buffer {
  return Buffer.alloc((4 - (len % 4)) % 4);
}

function header(ino: number, mode: number, size: number, name: string, rdev: [number, number] = [0, 0]): Buffer {
  const nameBytes = Buffer.from(name + '\0');
  const fields = [ino, mode, 0, 0, 1, 0, size, 0, 0, rdev[0], rdev[1], nameBytes.length, 0];
  const head = Buffer.from('070701' + fields.map(hex8).join(''));
  return Buffer.concat([head, nameBytes, pad4(head.length + nameBytes.length)]);
}

/** Builds an uncompressed newc archive (the kernel accepts it as is). */
export function cpioArchive(entries: CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  let ino = 1;
  for (const e of entries) {
    const name = e.path.replace(/^\/+/, '');
    let data = Buffer.alloc(0);
    let mode: number;
    let rdev: [number, number] = [0, 0];
    switch (e.kind) {
      case 'dir': mode = TYPE.dir | (e.mode ?? 0o755); break;
      case 'file': mode = TYPE.file | (e.mode ?? 0o644); data = Buffer.from(e.data); break;
      case 'symlink': mode = TYPE.symlink | 0o777; data = Buffer.from(e.target); break;
      case 'chardev': mode = TYPE.chardev | (e.mode ?? 0o600); rdev = [e.major, e.minor]; break;
    }
    parts.push(header(ino++, mode, data.length, name, rdev), data, pad4(data.length));
  }
  parts.push(header(0, 0, 0, 'TRAILER!!!'));
  const out = Buffer.concat(parts);
  return Buffer.concat([out, pad4(out.length)]);
}
