// A FileSystem over an ext4 image that is not mounted, through e2fsprogs' debugfs: the host reads and
// changes the data partition of a disk image in place (`image?offset=N`), so the generation store's own
// code runs unchanged against an image.
//
// Starting debugfs costs tens of milliseconds, so changes whose outcome is known without asking the
// image (mkdir and writes under directories this instance created or listed, chmod of known paths) are
// queued and written in ONE `debugfs -w -f -` run when something needs the image's truth (a read of
// file data, a listing not known here, rename, rm, fsyncDir, an exclusive create, or process exit).
// Commands reach the image in the order they were issued, so a crash leaves a prefix of the changes,
// as the store's atomicity argument needs. A failing queued line fails the operation that flushes,
// naming the command. Reads of file data are batched too: a miss dumps the file and the next known
// files not yet read (read-ahead, bounded), since the store reads back every file it just wrote.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { quote, runBatch, runOne, spawnRunner, type DebugfsRunner } from './debugfs-batch.js';
import { applyRename, ext4BlockSize, planRename } from './debugfs-rename.js';
import { ReadAhead } from './debugfs-readahead.js';
import { Shadow, type ShadowEntry } from './debugfs-shadow.js';
import { ImageFsError } from './errors.js';
import type { FileStat, FileSystem, WriteOptions } from './fs-shape.js';

const TYPE_BITS: Record<string, number> = { file: 0o100000, dir: 0o040000, symlink: 0o120000 };
const QUEUE_BYTES_MAX = 256 << 20;

export interface DebugfsOptions {
  /** Runs debugfs (and the shell that wraps batches); tests inject a counting one. */
  runner?: DebugfsRunner;
  /** Bytes of other known files dumped along with a file read from the image (default 64 MiB). */
  readAheadBytes?: number;
}

const bytes = (d: Uint8Array | string) => (typeof d === 'string' ? Buffer.from(d, 'utf8') : Buffer.from(d));
const statOf = (e: ShadowEntry): FileStat => ({ kind: e.kind, size: e.size, mode: e.mode });

// Instances with queued changes or temp files, settled when the process exits (synchronously: every
// debugfs run is spawnSync), so a forgotten flush never loses writes.
const live = new Set<DebugfsFileSystem>();
let exitHook = false;

function track(fs: DebugfsFileSystem): void {
  live.add(fs);
  if (exitHook) return;
  exitHook = true;
  process.once('exit', () => DebugfsFileSystem.settleAll());
}

export class DebugfsFileSystem implements FileSystem {
  private readonly spec: string;
  private readonly run: DebugfsRunner;
  private readonly shadow = new Shadow();
  private queue: string[] = [];
  private queueBytes = 0;
  private queueDir: string | null = null;
  private seq = 0;
  private blockBytes: number | null = null;
  private readonly readAhead: ReadAhead;

  /** `offset` is the partition's byte offset inside a disk image (0 for a bare ext4 image). */
  constructor(readonly image: string, readonly offset = 0, options: DebugfsOptions = {}) {
    this.spec = offset ? `${image}?offset=${offset}` : image;
    this.run = options.runner ?? spawnRunner;
    this.readAhead = new ReadAhead(options.readAheadBytes ?? 64 << 20);
  }

  /**
   * Writes every queued change to the image in one debugfs run.
   * @throws ImageFsError naming the first command that failed; what this instance knew is then forgotten
   */
  async flush(): Promise<void> {
    this.flushSync();
  }

  private flushSync(): void {
    if (this.queue.length === 0) return;
    const commands = this.queue;
    const dir = this.queueDir;
    this.queue = [];
    this.queueBytes = 0;
    this.queueDir = null;
    try {
      const failures = runBatch(this.run, this.spec, commands, true);
      if (failures.length) {
        const f = failures[0]!;
        const more = failures.length > 1 ? ` (${failures.length - 1} more line(s) failed)` : '';
        throw new ImageFsError(`Cannot write ${commands.length} queued change(s) to "${this.spec}": line ${f.index + 1} "${f.command}" failed: ${f.message}${more}`, 'EIO');
      }
    } catch (err) {
      this.forget();
      throw err;
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
      this.settleLive();
    }
  }

  /** Drops what this instance knows about the image (after a failure, or when another writer may have changed it). */
  forget(): void {
    this.shadow.clear();
    this.readAhead.clear();
    this.settleLive();
  }

  private settleLive(): void {
    if (this.queue.length || this.queueDir || this.readAhead.holding) track(this);
    else live.delete(this);
  }

  /** Settles at process exit: queued changes are written, temp files removed. */
  static settleAll(): void {
    for (const fs of [...live]) {
      try {
        fs.flushSync();
      } catch (err) {
        process.stderr.write(`dialogos: ${(err as Error).message}\n`);
        process.exitCode = 1;
      }
      fs.forget();
    }
  }

  private tempDir(prefix: string): string {
    track(this);
    return mkdtempSync(join(tmpdir(), prefix));
  }

  private enqueue(...commands: string[]): void {
    this.queue.push(...commands);
    track(this);
  }

  /** One read-only command against the image as it is after the queued changes. */
  private one(command: string): { out: Buffer; err: string } {
    this.flushSync();
    return runOne(this.run, this.spec, command);
  }

  /** lstat answered by the image; the answer is remembered. */
  private imageLstat(path: string): FileStat {
    const { out, err } = this.one(`stat ${quote(path)}`);
    const text = out.toString();
    const m = /Type: (\S+)\s+Mode:\s+(\d+)/.exec(text);
    if (!m) throw enoent(path, err);
    const kind = m[1] === 'regular' ? 'file' : m[1] === 'directory' ? 'dir' : m[1] === 'symlink' ? 'symlink' : 'other';
    const entry: ShadowEntry = { kind, size: Number(/Size: (\d+)/.exec(text)?.[1] ?? 0), mode: parseInt(m[2]!, 8) & 0o7777 };
    const target = /Fast link dest: "(.*)"/.exec(text)?.[1];
    if (target !== undefined) entry.target = target;
    this.shadow.set(path, entry);
    return statOf(entry);
  }

  async lstat(path: string): Promise<FileStat> {
    const p = norm(path);
    const known = this.shadow.lookup(p);
    if (known && 'entry' in known) return statOf(known.entry);
    if (known) throw enoent(p, 'no such file or directory');
    return this.imageLstat(p);
  }

  /** Follows symlinks to the final path and its stat. */
  private async resolve(path: string, depth = 0): Promise<{ path: string; st: FileStat }> {
    const st = await this.lstat(path);
    if (st.kind !== 'symlink') return { path, st };
    if (depth > 8) throw new ImageFsError(`Cannot stat "${path}": too many levels of symbolic links`, 'ELOOP');
    const target = this.shadow.get(path)?.target ?? (await this.linkTarget(path));
    return this.resolve(posix.resolve(posix.dirname(path), target), depth + 1);
  }

  async stat(path: string): Promise<FileStat> {
    return (await this.resolve(norm(path))).st;
  }

  async exists(path: string): Promise<boolean> {
    try { await this.lstat(path); return true; } catch { return false; }
  }

  async readFile(path: string): Promise<Buffer> {
    const { path: real, st } = await this.resolve(norm(path));
    if (st.kind !== 'file') throw new ImageFsError(`Cannot read "${path}": it is a ${st.kind}`, 'EISDIR');
    return this.readData(real);
  }

  /** A file's data from the read-ahead, else from one debugfs run that also dumps the next known files. */
  private readData(path: string): Buffer {
    const hit = this.readAhead.take(path);
    if (hit) return hit;
    this.flushSync();
    const got = this.readAhead.fetch(this.run, this.spec, path, this.shadow.files());
    this.settleLive();
    if (!Buffer.isBuffer(got)) throw enoent(path, got.error);
    return got;
  }

  async *readChunks(path: string, chunkSize = 1 << 20): AsyncIterable<Uint8Array> {
    const all = await this.readFile(path);
    for (let i = 0; i < all.length; i += chunkSize) yield all.subarray(i, i + chunkSize);
  }

  async writeFile(path: string, data: Uint8Array | string, options: WriteOptions = {}): Promise<void> {
    const p = norm(path);
    const parent = await this.lstat(posix.dirname(p)).catch(() => null);
    if (!parent || parent.kind !== 'dir') throw enoent(posix.dirname(p), 'no such directory');
    // An exclusive create is a lock: it asks the image, not what this instance remembers, and writes through.
    const existing = options.exclusive ? this.imageLstatOrNull(p) : await this.lstat(p).catch(() => null);
    if (existing && options.exclusive) throw new ImageFsError(`Cannot create "${p}": it exists`, 'EEXIST');
    if (existing?.kind === 'dir') throw new ImageFsError(`Cannot write "${p}": it is a directory`, 'EISDIR');
    const buf = bytes(data);
    const mode = (options.mode ?? existing?.mode ?? 0o644) & 0o7777;
    this.queueDir ??= this.tempDir('dialogos-debugfs-');
    const tmp = join(this.queueDir, String(this.seq++));
    writeFileSync(tmp, buf);
    // debugfs `write` takes the new inode's permission bits from the host file.
    chmodSync(tmp, mode);
    if (existing) this.enqueue(`rm ${quote(p)}`);
    this.enqueue(`write ${quote(tmp)} ${quote(p)}`);
    this.queueBytes += buf.length;
    this.readAhead.invalidate(p);
    this.shadow.set(p, { kind: 'file', size: buf.length, mode });
    if (options.exclusive || this.queueBytes > QUEUE_BYTES_MAX) this.flushSync();
  }

  private imageLstatOrNull(path: string): FileStat | null {
    try {
      return this.imageLstat(path);
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return null;
      throw err;
    }
  }

  async appendFile(path: string, data: Uint8Array | string): Promise<void> {
    const old = await this.readFile(path).catch(() => Buffer.alloc(0));
    await this.writeFile(path, Buffer.concat([old, bytes(data)]));
  }

  /** Nothing to sync in a file alone: the queue reaches the image in order at the next flush. */
  async fsyncFile(path: string): Promise<void> { await this.lstat(path); }

  /** A durability point: the queued changes are written now. */
  async fsyncDir(path: string): Promise<void> {
    this.flushSync();
    await this.lstat(path);
  }

  async mkdir(path: string): Promise<void> {
    const p = norm(path);
    let cur = '';
    for (const part of p.split('/').filter(Boolean)) {
      cur += '/' + part;
      const known = this.shadow.lookup(cur);
      const st = known && 'entry' in known ? statOf(known.entry) : known ? null : this.imageLstatOrNull(cur);
      if (st?.kind === 'dir') continue;
      if (st) throw new ImageFsError(`Cannot make directory "${p}": "${cur}" is a ${st.kind}`, 'ENOTDIR');
      this.enqueue(`mkdir ${quote(cur)}`);
      this.shadow.set(cur, { kind: 'dir', size: 4096, mode: 0o755, children: new Set() });
    }
  }

  async readdir(path: string): Promise<string[]> {
    const p = norm(path);
    const st = await this.lstat(p);
    if (st.kind !== 'dir') throw new ImageFsError(`Cannot list "${p}": not a directory`, 'ENOTDIR');
    const known = this.shadow.get(p)?.children;
    if (known) return [...known].sort(byCodeUnit);
    const { out } = this.one(`ls -p ${quote(p)}`);
    const names = new Set<string>();
    for (const line of out.toString().split('\n')) {
      // "/ino/mode/uid/gid/name/size/": the size is empty for directories, so only their names are kept.
      const f = line.split('/');
      if (f.length < 7 || f[5] === '.' || f[5] === '..' || f[5] === '') continue;
      const name = f[5]!;
      names.add(name);
      const mode = parseInt(f[2]!, 8);
      const kind = (mode & 0o170000) === 0o100000 ? 'file' : (mode & 0o170000) === 0o120000 ? 'symlink' : null;
      const child = posix.join(p, name);
      if (kind && f[6] !== '' && !this.shadow.get(child)) this.shadow.set(child, { kind, size: Number(f[6]), mode: mode & 0o7777 });
    }
    const entry = this.shadow.get(p);
    if (entry) entry.children = names;
    return [...names].sort(byCodeUnit);
  }

  async rm(path: string): Promise<void> {
    const p = norm(path);
    const st = await this.lstat(p).catch(() => null);
    if (!st) return;
    const commands: string[] = [];
    const visit = async (q: string, kind: string): Promise<void> => {
      if (kind !== 'dir') {
        commands.push(`rm ${quote(q)}`);
        return;
      }
      for (const name of await this.readdir(q)) {
        const child = posix.join(q, name);
        await visit(child, (await this.lstat(child)).kind);
      }
      commands.push(`rmdir ${quote(q)}`);
    };
    await visit(p, st.kind);
    this.enqueue(...commands);
    this.readAhead.invalidate(p);
    this.shadow.remove(p);
    this.flushSync();
  }

  /** See debugfs-rename.ts: links, not copies, in a bounded number of debugfs runs. */
  async rename(from: string, to: string): Promise<void> {
    const a = norm(from);
    const b = norm(to);
    const src = await this.lstat(a);
    if (a === b) return;
    if (b.startsWith(a + '/')) throw new ImageFsError(`Cannot rename "${a}" to "${b}": the target is inside the source`, 'EINVAL');
    const toParent = await this.lstat(posix.dirname(b)).catch(() => null);
    if (toParent?.kind !== 'dir') throw enoent(posix.dirname(b), 'no such directory');
    const dst = await this.lstat(b).catch(() => null);
    if (dst?.kind === 'dir' && (await this.readdir(b)).length > 0) throw new ImageFsError(`Cannot rename "${a}" to "${b}": the target is a non-empty directory`, 'ENOTEMPTY');
    if (dst && (dst.kind === 'dir') !== (src.kind === 'dir')) {
      throw new ImageFsError(`Cannot rename "${a}" to "${b}": one is a directory and the other is not`, dst.kind === 'dir' ? 'EISDIR' : 'ENOTDIR');
    }
    const blockSize = this.blockSize();
    const plan = await planRename(this, a, b, src, dst, blockSize);
    this.flushSync();
    this.readAhead.invalidate(a);
    this.readAhead.invalidate(b);
    try {
      applyRename(this.run, this.spec, `rename "${a}" to "${b}"`, plan, blockSize);
    } catch (err) {
      this.forget();
      throw err;
    }
    this.shadow.move(a, b);
  }

  private blockSize(): number {
    this.blockBytes ??= ext4BlockSize(this.image, this.offset);
    return this.blockBytes;
  }

  private async linkTarget(path: string): Promise<string> {
    const { out } = this.one(`stat ${quote(path)}`);
    const fast = /Fast link dest: "(.*)"/.exec(out.toString())?.[1];
    if (fast !== undefined) return fast;
    const { out: data, err } = this.one(`cat ${quote(path)}`);
    if (err) throw enoent(path, err);
    return data.toString();
  }

  async chmod(path: string, mode: number): Promise<void> {
    const p = norm(path);
    const st = await this.lstat(p);
    const bits = mode & 0o7777;
    const entry = this.shadow.get(p);
    if (entry && entry.mode === bits) return;
    this.enqueue(`sif ${quote(p)} mode 0${((TYPE_BITS[st.kind] ?? 0) | bits).toString(8)}`);
    if (entry) entry.mode = bits;
  }

  async symlink(target: string, path: string): Promise<void> {
    const p = norm(path);
    if (await this.exists(p)) throw new ImageFsError(`Cannot create symlink "${p}": it exists`, 'EEXIST');
    const parent = await this.lstat(posix.dirname(p)).catch(() => null);
    if (parent?.kind !== 'dir') throw enoent(posix.dirname(p), 'no such directory');
    this.enqueue(`symlink ${quote(p)} ${quote(target)}`);
    this.shadow.set(p, { kind: 'symlink', size: Buffer.byteLength(target), mode: 0o777, target });
  }
}

function norm(path: string): string {
  const p = posix.normalize(path);
  if (!p.startsWith('/')) throw new ImageFsError(`Cannot address "${path}" in the image: not an absolute path`, 'EINVAL');
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function enoent(path: string, detail: string): ImageFsError {
  return new ImageFsError(`Cannot find "${path}" in the image${detail ? `: ${detail.trim()}` : ''}`, 'ENOENT');
}
