// Sorted walks of a host directory, and the timestamp normalisation that makes trees reproducible.
import { lstatSync, readdirSync, readlinkSync, utimesSync, lutimesSync } from 'node:fs';
import { join } from 'node:path';

export interface TreeEntry {
  /** Path relative to the walked root, "/"-separated. */
  rel: string;
  abs: string;
  type: 'dir' | 'file' | 'symlink';
  mode: number;
  target?: string;
}

/** Every entry below `root` (not root itself), sorted by path; other file types are skipped. */
export function walkTree(root: string): TreeEntry[] {
  const out: TreeEntry[] = [];
  const visit = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir).sort()) {
      const abs = join(dir, name);
      const rel = prefix ? `${prefix}/${name}` : name;
      const st = lstatSync(abs);
      const mode = st.mode & 0o7777;
      if (st.isSymbolicLink()) out.push({ rel, abs, type: 'symlink', mode, target: readlinkSync(abs) });
      else if (st.isDirectory()) { out.push({ rel, abs, type: 'dir', mode }); visit(abs, rel); }
      else if (st.isFile()) out.push({ rel, abs, type: 'file', mode });
    }
  };
  visit(root, '');
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}

/** Sets atime and mtime of `root` and everything below it to `epoch` (seconds). */
export function normalizeMtimes(root: string, epoch: number): void {
  for (const e of walkTree(root)) {
    if (e.type === 'symlink') lutimesSync(e.abs, epoch, epoch);
    else utimesSync(e.abs, epoch, epoch);
  }
  utimesSync(root, epoch, epoch);
}
