// Power-cut simulation: a FileSystem wrapper that lets the first k-1 write steps through and then
// fails step k and every later call, as if the machine lost power there. Reads before the crash
// pass freely; after it nothing does, because a dead machine does not read either. A write cut by
// the crash is torn: its first half reaches the disk, so code that overwrites files in place fails.
import { SimulatedCrashError } from './errors.js';
import type { FileSystem, WriteOptions } from './fs.js';

function half(d: Uint8Array | string): Uint8Array {
  const b = typeof d === 'string' ? new TextEncoder().encode(d) : d;
  return b.slice(0, Math.floor(b.length / 2));
}

export interface CrashingFileSystem extends FileSystem {
  /** Write steps performed (or attempted) so far. */
  readonly steps: number;
  readonly crashed: boolean;
}

const WRITE_STEPS = new Set(['writeFile', 'appendFile', 'fsyncFile', 'fsyncDir', 'rename', 'mkdir', 'rm', 'chmod', 'symlink']);

/**
 * Wraps `fs` so that write step number `k` (1-based) and every call after it throw
 * SimulatedCrashError. Use `k = Infinity` to count the steps of an operation.
 * @throws SimulatedCrashError from the wrapped methods, at and after step k
 */
export function withCrashAt(fs: FileSystem, k: number): CrashingFileSystem {
  let steps = 0;
  let crashed = false;
  const gate = (name: string): void => {
    if (crashed) throw new SimulatedCrashError(`Simulated power cut: "${name}" after the crash at step ${k}`);
    if (!WRITE_STEPS.has(name)) return;
    steps++;
    if (steps >= k) {
      crashed = true;
      throw new SimulatedCrashError(`Simulated power cut at write step ${k} ("${name}")`);
    }
  };
  // At the crash step, lets half of the data through before failing.
  const torn = async (name: string, partial: () => Promise<void>): Promise<void> => {
    try {
      gate(name);
    } catch (err) {
      if (steps === k && !tornDone) {
        tornDone = true;
        await partial().catch(() => undefined);
      }
      throw err;
    }
  };
  let tornDone = false;
  const wrapped = {
    get steps() {
      return steps;
    },
    get crashed() {
      return crashed;
    },
    readFile: async (p: string) => (gate('readFile'), fs.readFile(p)),
    async *readChunks(p: string, size?: number) {
      gate('readChunks');
      for await (const c of fs.readChunks(p, size)) {
        gate('readChunks');
        yield c;
      }
    },
    writeFile: async (p: string, d: Uint8Array | string, o?: WriteOptions) => {
      await torn('writeFile', () => fs.writeFile(p, half(d), o));
      return fs.writeFile(p, d, o);
    },
    appendFile: async (p: string, d: Uint8Array | string) => {
      await torn('appendFile', () => fs.appendFile(p, half(d)));
      return fs.appendFile(p, d);
    },
    fsyncFile: async (p: string) => (gate('fsyncFile'), fs.fsyncFile(p)),
    fsyncDir: async (p: string) => (gate('fsyncDir'), fs.fsyncDir(p)),
    rename: async (a: string, b: string) => (gate('rename'), fs.rename(a, b)),
    mkdir: async (p: string) => (gate('mkdir'), fs.mkdir(p)),
    readdir: async (p: string) => (gate('readdir'), fs.readdir(p)),
    stat: async (p: string) => (gate('stat'), fs.stat(p)),
    lstat: async (p: string) => (gate('lstat'), fs.lstat(p)),
    rm: async (p: string) => (gate('rm'), fs.rm(p)),
    exists: async (p: string) => (gate('exists'), fs.exists(p)),
    chmod: async (p: string, m: number) => (gate('chmod'), fs.chmod(p, m)),
    symlink: async (t: string, p: string) => (gate('symlink'), fs.symlink(t, p)),
  };
  return wrapped;
}
