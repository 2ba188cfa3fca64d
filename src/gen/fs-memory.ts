// An in-memory FileSystem for unit tests: a flat map from normalised absolute path to node.
// Every write is immediately "durable"; crash tests cut between operations with withCrashAt.
import { posix } from 'node:path';
import { FsError } from './errors.js';
import type { FileStat, FileSystem, WriteOptions } from './fs.js';

type Node =
  | { kind: 'file'; data: Uint8Array; mode: number }
  | { kind: 'dir'; mode: number }
  | { kind: 'symlink'; target: string };

function fail(code: string, op: string, path: string): never {
  throw new FsError(code, `${code}: ${op} "${path}"`);
}

function toBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data);
}

export interface MemoryFileSystem extends FileSystem {
  /** Adds a node of kind 'other' (a device or fifo) so that verification can be tested against it. */
  mknod(path: string): Promise<void>;
  /** An independent copy of the whole file system (for running one scenario from many crash points). */
  clone(): MemoryFileSystem;
}

/** Creates an empty in-memory file system holding only `/`. */
export function createMemoryFileSystem(from?: Map<string, Node | { kind: 'other' }>): MemoryFileSystem {
  const nodes = new Map<string, Node | { kind: 'other' }>(from ?? [['/', { kind: 'dir', mode: 0o755 }]]);
  const norm = (p: string): string => posix.resolve('/', p);

  // Resolves symlinks in every component, as the kernel does for stat/open.
  function resolve(p: string, followLast: boolean, depth = 0): string {
    if (depth > 16) fail('ELOOP', 'resolve', p);
    const parts = norm(p).split('/').filter(Boolean);
    let cur = '/';
    for (let i = 0; i < parts.length; i++) {
      const next = posix.join(cur, parts[i]!);
      const n = nodes.get(next);
      const last = i === parts.length - 1;
      if (n?.kind === 'symlink' && (!last || followLast)) {
        cur = resolve(posix.resolve(cur, n.target), true, depth + 1);
      } else {
        if (!last && n && n.kind !== 'dir') fail('ENOTDIR', 'resolve', p);
        cur = next;
      }
    }
    return cur;
  }
  function parentDir(p: string, op: string): void {
    const parent = nodes.get(posix.dirname(p));
    if (!parent) fail('ENOENT', op, p);
    if (parent.kind !== 'dir') fail('ENOTDIR', op, p);
  }
  function file(p: string, op: string): { kind: 'file'; data: Uint8Array; mode: number } {
    const n = nodes.get(resolve(p, true));
    if (!n) fail('ENOENT', op, p);
    if (n.kind !== 'file') fail(n.kind === 'dir' ? 'EISDIR' : 'EINVAL', op, p);
    return n;
  }
  function children(p: string): string[] {
    const prefix = p === '/' ? '/' : `${p}/`;
    return [...nodes.keys()].filter((k) => k !== p && k.startsWith(prefix) && !k.slice(prefix.length).includes('/'));
  }
  function statOf(p: string, n: Node | { kind: 'other' } | undefined, op: string): FileStat {
    if (!n) fail('ENOENT', op, p);
    if (n.kind === 'file') return { kind: 'file', size: n.data.length, mode: n.mode };
    if (n.kind === 'dir') return { kind: 'dir', size: 4096, mode: n.mode };
    if (n.kind === 'symlink') return { kind: 'symlink', size: n.target.length, mode: 0o777 };
    return { kind: 'other', size: 0, mode: 0o600 };
  }

  return {
    async readFile(path) {
      return new Uint8Array(file(path, 'read').data);
    },
    async *readChunks(path, chunkSize = 1 << 20) {
      const p = norm(path);
      if (nodes.get(p)?.kind === 'symlink') fail('ELOOP', 'open', path);
      const data = file(p, 'read').data;
      for (let i = 0; i < data.length; i += chunkSize) yield data.slice(i, i + chunkSize);
    },
    async writeFile(path, data, options: WriteOptions = {}) {
      const p = resolve(path, true);
      const n = nodes.get(p);
      if (n && options.exclusive) fail('EEXIST', 'open', path);
      if (n && n.kind !== 'file') fail('EISDIR', 'write', path);
      parentDir(p, 'write');
      nodes.set(p, { kind: 'file', data: toBytes(data), mode: n?.kind === 'file' ? n.mode : (options.mode ?? 0o644) });
    },
    async appendFile(path, data) {
      const p = resolve(path, true);
      const n = nodes.get(p);
      if (!n) return this.writeFile(p, data);
      const f = file(p, 'append');
      const add = toBytes(data);
      const out = new Uint8Array(f.data.length + add.length);
      out.set(f.data);
      out.set(add, f.data.length);
      f.data = out;
    },
    async fsyncFile(path) {
      file(path, 'fsync');
    },
    async fsyncDir(path) {
      const n = nodes.get(resolve(path, true));
      if (!n) fail('ENOENT', 'fsync', path);
      if (n.kind !== 'dir') fail('ENOTDIR', 'fsync', path);
    },
    async rename(from, to) {
      const f = norm(from);
      const t = norm(to);
      const n = nodes.get(f);
      if (!n) fail('ENOENT', 'rename', from);
      parentDir(t, 'rename');
      if (t === f) return;
      if (t.startsWith(`${f}/`)) fail('EINVAL', 'rename', to);
      const existing = nodes.get(t);
      if (existing) {
        if (existing.kind === 'dir' && n.kind !== 'dir') fail('EISDIR', 'rename', to);
        if (existing.kind !== 'dir' && n.kind === 'dir') fail('ENOTDIR', 'rename', to);
        if (existing.kind === 'dir' && children(t).length > 0) fail('ENOTEMPTY', 'rename', to);
        nodes.delete(t);
      }
      for (const k of [...nodes.keys()]) {
        if (k === f || k.startsWith(`${f}/`)) {
          const v = nodes.get(k)!;
          nodes.delete(k);
          nodes.set(t + k.slice(f.length), v);
        }
      }
    },
    async mkdir(path) {
      let cur = '/';
      for (const part of norm(path).split('/').filter(Boolean)) {
        cur = posix.join(cur, part);
        const n = nodes.get(resolve(cur, true));
        if (!n) nodes.set(cur, { kind: 'dir', mode: 0o755 });
        else if (n.kind !== 'dir') fail('EEXIST', 'mkdir', path);
      }
    },
    async readdir(path) {
      const p = resolve(path, true);
      const n = nodes.get(p);
      if (!n) fail('ENOENT', 'readdir', path);
      if (n.kind !== 'dir') fail('ENOTDIR', 'readdir', path);
      return children(p).map((k) => posix.basename(k)).sort();
    },
    async stat(path) {
      const p = resolve(path, true);
      return statOf(path, nodes.get(p), 'stat');
    },
    async lstat(path) {
      // Follow symlinks in the parent directories only, like lstat(2).
      const p = norm(path);
      const real = posix.join(resolve(posix.dirname(p), true), posix.basename(p));
      return statOf(path, nodes.get(real), 'lstat');
    },
    async rm(path) {
      const p = norm(path);
      if (p === '/') fail('EPERM', 'rm', path);
      for (const k of [...nodes.keys()]) if (k === p || k.startsWith(`${p}/`)) nodes.delete(k);
    },
    async exists(path) {
      try {
        await this.lstat(path);
        return true;
      } catch (err) {
        if ((err as FsError).code === 'ENOENT' || (err as FsError).code === 'ENOTDIR') return false;
        throw err;
      }
    },
    async chmod(path, mode) {
      const n = nodes.get(resolve(path, true));
      if (!n) fail('ENOENT', 'chmod', path);
      if (n.kind === 'file' || n.kind === 'dir') n.mode = mode & 0o7777;
    },
    async symlink(target, path) {
      const p = norm(path);
      if (nodes.has(p)) fail('EEXIST', 'symlink', path);
      parentDir(p, 'symlink');
      nodes.set(p, { kind: 'symlink', target });
    },
    clone() {
      const copy = new Map([...nodes].map(([k, n]) => [k, n.kind === 'file' ? { ...n, data: new Uint8Array(n.data) } : { ...n }] as const));
      return createMemoryFileSystem(copy);
    },
    async mknod(path) {
      const p = norm(path);
      parentDir(p, 'mknod');
      nodes.set(p, { kind: 'other' });
    },
  };
}
