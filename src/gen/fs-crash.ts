// Power-cut simulation: a FileSystem wrapper that lets the first k-1 write steps through and then
// fails step k and every later call, as if the machine lost power there. Reads before the crash
// pass freely; after it nothing does, because a dead machine does not read either. A write cut by
// the crash is torn: its first half reaches the disk, so code that overwrites files in place fails.
// With `loseUnsynced`, files written since their last fsync come back empty after the crash (ext4
// delayed allocation), so code that renames a file into place before syncing it fails too.
import { SimulatedCrashError } from './errors.js';
import type { FileSystem, WriteOptions } from './fs.js';

export interface CrashingFileSystem extends FileSystem {
  /** Write steps performed (or attempted) so far. */
  readonly steps: number;
  readonly crashed: boolean;
}

export interface CrashOptions {
  /** Empty every file written but not fsynced when the crash happens. Default false. */
  loseUnsynced?: boolean;
}

function half(d: Uint8Array | string): Uint8Array {
  const b = typeof d === 'string' ? new TextEncoder().encode(d) : d;
  return b.slice(0, Math.floor(b.length / 2));
}

const under = (p: string, dir: string): boolean => p === dir || p.startsWith(`${dir}/`);

/**
 * Wraps `fs` so that write step number `k` (1-based) and every call after it throw
 * SimulatedCrashError. Write steps: writeFile, appendFile, fsyncFile, fsyncDir, rename, mkdir,
 * rm, chmod, symlink. Use `k = Infinity` to count the steps of an operation.
 * @throws SimulatedCrashError from the wrapped methods, at and after step k
 */
export function withCrashAt(fs: FileSystem, k: number, options: CrashOptions = {}): CrashingFileSystem {
  let steps = 0;
  let crashed = false;
  const dirty = new Set<string>();

  const crash = async (what: string, partial?: () => Promise<void>): Promise<never> => {
    crashed = true;
    await partial?.().catch(() => undefined);
    if (options.loseUnsynced) {
      for (const p of dirty) await fs.writeFile(p, new Uint8Array()).catch(() => undefined);
    }
    throw new SimulatedCrashError(`Simulated power cut at write step ${k} (${what})`);
  };
  const gate = async (name: string, partial?: () => Promise<void>): Promise<void> => {
    if (crashed) throw new SimulatedCrashError(`Simulated power cut: "${name}" after the crash at step ${k}`);
    if (partial === undefined && !['fsyncFile', 'fsyncDir', 'rename', 'mkdir', 'rm', 'chmod', 'symlink'].includes(name)) return;
    if (++steps >= k) await crash(`"${name}"`, partial);
  };
  const moveDirty = (from: string, to: string): void => {
    for (const p of [...dirty]) {
      if (under(p, from)) {
        dirty.delete(p);
        dirty.add(to + p.slice(from.length));
      }
    }
  };

  return {
    get steps() {
      return steps;
    },
    get crashed() {
      return crashed;
    },
    readFile: async (p) => (await gate('readFile'), fs.readFile(p)),
    async *readChunks(p, size) {
      await gate('readChunks');
      for await (const c of fs.readChunks(p, size)) {
        await gate('readChunks');
        yield c;
      }
    },
    async writeFile(p: string, d: Uint8Array | string, o?: WriteOptions) {
      await gate('writeFile', () => (dirty.add(p), fs.writeFile(p, half(d), o)));
      await fs.writeFile(p, d, o);
      dirty.add(p);
    },
    async appendFile(p, d) {
      await gate('appendFile', () => (dirty.add(p), fs.appendFile(p, half(d))));
      await fs.appendFile(p, d);
      dirty.add(p);
    },
    async fsyncFile(p) {
      await gate('fsyncFile');
      await fs.fsyncFile(p);
      dirty.delete(p);
    },
    fsyncDir: async (p) => (await gate('fsyncDir'), fs.fsyncDir(p)),
    async rename(a, b) {
      await gate('rename');
      await fs.rename(a, b);
      moveDirty(a, b);
    },
    mkdir: async (p) => (await gate('mkdir'), fs.mkdir(p)),
    readdir: async (p) => (await gate('readdir'), fs.readdir(p)),
    stat: async (p) => (await gate('stat'), fs.stat(p)),
    lstat: async (p) => (await gate('lstat'), fs.lstat(p)),
    async rm(p) {
      await gate('rm');
      await fs.rm(p);
      for (const d of [...dirty]) if (under(d, p)) dirty.delete(d);
    },
    exists: async (p) => (await gate('exists'), fs.exists(p)),
    chmod: async (p, m) => (await gate('chmod'), fs.chmod(p, m)),
    symlink: async (t, p) => (await gate('symlink'), fs.symlink(t, p)),
  };
}
