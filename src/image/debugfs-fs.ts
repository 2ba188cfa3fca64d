// A FileSystem over an ext4 image that is not mounted, through e2fsprogs' debugfs: the host reads and
// changes the data partition of a disk image in place (`image?offset=N`), so the generation store's own
// code runs unchanged against an image. fsync is a no-op: nothing is cached between debugfs runs.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { ImageFsError } from './errors.js';
import type { FileStat, FileSystem, WriteOptions } from './fs-shape.js';

const TYPE_BITS: Record<string, number> = { file: 0o100000, dir: 0o040000, symlink: 0o120000 };

function quote(p: string): string {
  if (/["\n\r]/.test(p)) throw new ImageFsError(`Cannot address "${p}" through debugfs: quotes and newlines are not supported`, 'EINVAL');
  return `"${p}"`;
}

const bytes = (d: Uint8Array | string) => (typeof d === 'string' ? Buffer.from(d, 'utf8') : Buffer.from(d));

export class DebugfsFileSystem implements FileSystem {
  private readonly spec: string;

  /** `offset` is the partition's byte offset inside a disk image (0 for a bare ext4 image). */
  constructor(readonly image: string, readonly offset = 0) {
    this.spec = offset ? `${image}?offset=${offset}` : image;
  }

  /** Runs one read-only debugfs command; stderr minus the version banner is returned as the error. */
  private async one(command: string, write = false): Promise<{ out: Buffer; err: string }> {
    const args = [...(write ? ['-w'] : []), '-R', command, this.spec];
    const r = spawnSync('debugfs', args, { maxBuffer: 1 << 30, env: { ...process.env, LC_ALL: 'C' } });
    const err = r.stderr.toString().split('\n').filter((l) => l && !/^debugfs \d/.test(l)).join('\n');
    if (r.status !== 0 && !err) throw new ImageFsError(`Cannot run debugfs "${command}" on "${this.spec}"`, 'EIO');
    return { out: r.stdout, err };
  }

  /** Runs commands with write access; any error line fails the whole call. */
  private async mutate(commands: string[], what: string): Promise<void> {
    const args = ['-w', '-f', '-', this.spec];
    const r = spawnSync('debugfs', args, { input: commands.join('\n') + '\n', env: { ...process.env, LC_ALL: 'C' } });
    const err = r.stderr.toString().split('\n').filter((l) => l && !/^debugfs \d/.test(l)).join('\n');
    if (r.status !== 0 || err) throw new ImageFsError(`Cannot ${what} in "${this.spec}": ${err || `debugfs exit ${r.status}`}`, 'EIO');
  }

  async lstat(path: string): Promise<FileStat> {
    const { out, err } = await this.one(`stat ${quote(path)}`);
    const text = out.toString();
    const m = /Type: (\S+)\s+Mode:\s+(\d+)/.exec(text);
    if (!m) throw enoent(path, err);
    const kind = m[1] === 'regular' ? 'file' : m[1] === 'directory' ? 'dir' : m[1] === 'symlink' ? 'symlink' : 'other';
    const size = Number(/Size: (\d+)/.exec(text)?.[1] ?? 0);
    return { kind, size, mode: parseInt(m[2]!, 8) & 0o7777 };
  }

  async stat(path: string, depth = 0): Promise<FileStat> {
    const st = await this.lstat(path);
    if (st.kind !== 'symlink') return st;
    if (depth > 8) throw new ImageFsError(`Cannot stat "${path}": too many levels of symbolic links`, 'ELOOP');
    const { out } = await this.one(`stat ${quote(path)}`);
    const target = /Fast link dest: "(.*)"/.exec(out.toString())?.[1] ?? (await this.readFile(path, true)).toString();
    return this.stat(posix.resolve(posix.dirname(path), target), depth + 1);
  }

  async exists(path: string): Promise<boolean> {
    try { await this.lstat(path); return true; } catch { return false; }
  }

  async readFile(path: string, raw = false): Promise<Buffer> {
    const st = raw ? null : await this.stat(path);
    if (st && st.kind !== 'file') throw new ImageFsError(`Cannot read "${path}": it is a ${st.kind}`, 'EISDIR');
    const { out, err } = await this.one(`cat ${quote(path)}`);
    if (err) throw enoent(path, err);
    return out;
  }

  async *readChunks(path: string, chunkSize = 1 << 20): AsyncIterable<Uint8Array> {
    const all = await this.readFile(path);
    for (let i = 0; i < all.length; i += chunkSize) yield all.subarray(i, i + chunkSize);
  }

  async writeFile(path: string, data: Uint8Array | string, options: WriteOptions = {}): Promise<void> {
    const parent = await this.lstat(posix.dirname(path)).catch(() => null);
    if (!parent || parent.kind !== 'dir') throw enoent(posix.dirname(path), 'no such directory');
    const existing = await this.lstat(path).catch(() => null);
    if (existing && options.exclusive) throw new ImageFsError(`Cannot create "${path}": it exists`, 'EEXIST');
    if (existing?.kind === 'dir') throw new ImageFsError(`Cannot write "${path}": it is a directory`, 'EISDIR');
    const dir = mkdtempSync(join(tmpdir(), 'dialogos-debugfs-'));
    try {
      const tmp = join(dir, 'data');
      writeFileSync(tmp, bytes(data));
      // debugfs `write` takes the new inode's permission bits from the host file.
      chmodSync(tmp, options.mode ?? existing?.mode ?? 0o644);
      await this.mutate([...(existing ? [`rm ${quote(path)}`] : []), `write ${quote(tmp)} ${quote(path)}`], `write "${path}"`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  async appendFile(path: string, data: Uint8Array | string): Promise<void> {
    const old = await this.readFile(path).catch(() => Buffer.alloc(0));
    await this.writeFile(path, Buffer.concat([old, bytes(data)]));
  }

  async fsyncFile(path: string): Promise<void> { await this.lstat(path); }
  async fsyncDir(path: string): Promise<void> { await this.lstat(path); }

  async mkdir(path: string): Promise<void> {
    let cur = '';
    for (const part of path.split('/').filter(Boolean)) {
      cur += '/' + part;
      const st = await this.lstat(cur).catch(() => null);
      if (st?.kind === 'dir') continue;
      if (st) throw new ImageFsError(`Cannot make directory "${path}": "${cur}" is a ${st.kind}`, 'ENOTDIR');
      await this.mutate([`mkdir ${quote(cur)}`], `make directory "${cur}"`);
    }
  }

  async readdir(path: string): Promise<string[]> {
    const st = await this.lstat(path);
    if (st.kind !== 'dir') throw new ImageFsError(`Cannot list "${path}": not a directory`, 'ENOTDIR');
    const { out } = await this.one(`ls -p ${quote(path)}`);
    const names: string[] = [];
    for (const line of out.toString().split('\n')) {
      const f = line.split('/');
      if (f.length >= 7 && f[5] !== '.' && f[5] !== '..' && f[5] !== '') names.push(f[5]!);
    }
    return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  async rm(path: string): Promise<void> {
    const st = await this.lstat(path).catch(() => null);
    if (!st) return;
    if (st.kind === 'dir') {
      for (const name of await this.readdir(path)) await this.rm(posix.join(path, name));
      await this.mutate([`rmdir ${quote(path)}`], `remove directory "${path}"`);
    } else {
      await this.mutate([`rm ${quote(path)}`], `remove "${path}"`);
    }
  }

  /**
   * debugfs has no rename: a new link then an unlink (neither touches link counts, so the pair keeps them
   * right). A directory moving to another parent is copied instead, because its ".." entry and both
   * parents' link counts would need editing that debugfs cannot do.
   */
  async rename(from: string, to: string): Promise<void> {
    const src = await this.lstat(from);
    const dst = await this.lstat(to).catch(() => null);
    if (dst?.kind === 'dir' && (await this.readdir(to)).length > 0) throw new ImageFsError(`Cannot rename "${from}" to "${to}": the target is a non-empty directory`, 'ENOTEMPTY');
    if (src.kind === 'dir' && posix.dirname(from) !== posix.dirname(to)) {
      if (dst) await this.rm(to);
      await this.copyTree(from, to);
      await this.rm(from);
      return;
    }
    const pre = dst ? [dst.kind === 'dir' ? `rmdir ${quote(to)}` : `rm ${quote(to)}`] : [];
    await this.mutate([...pre, `ln ${quote(from)} ${quote(to)}`, `unlink ${quote(from)}`], `rename "${from}" to "${to}"`);
  }

  private async copyTree(from: string, to: string): Promise<void> {
    await this.mkdir(to);
    for (const name of await this.readdir(from)) {
      const a = posix.join(from, name);
      const b = posix.join(to, name);
      const st = await this.lstat(a);
      if (st.kind === 'dir') await this.copyTree(a, b);
      else if (st.kind === 'symlink') await this.symlink(await this.linkTarget(a), b);
      else await this.writeFile(b, await this.readFile(a), { mode: st.mode });
    }
  }

  private async linkTarget(path: string): Promise<string> {
    const { out } = await this.one(`stat ${quote(path)}`);
    return /Fast link dest: "(.*)"/.exec(out.toString())?.[1] ?? (await this.readFile(path, true)).toString();
  }

  async chmod(path: string, mode: number): Promise<void> {
    const st = await this.lstat(path);
    const full = (TYPE_BITS[st.kind] ?? 0) | (mode & 0o7777);
    await this.mutate([`sif ${quote(path)} mode 0${full.toString(8)}`], `chmod "${path}"`);
  }

  async symlink(target: string, path: string): Promise<void> {
    if (await this.exists(path)) throw new ImageFsError(`Cannot create symlink "${path}": it exists`, 'EEXIST');
    await this.mutate([`symlink ${quote(path)} ${quote(target)}`], `create symlink "${path}"`);
  }
}

function enoent(path: string, detail: string): ImageFsError {
  return new ImageFsError(`Cannot find "${path}" in the image${detail ? `: ${detail.trim()}` : ''}`, 'ENOENT');
}
