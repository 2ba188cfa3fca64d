// Power-cut simulation: a FileSystem wrapper that lets the first k-1 write steps through and then
// fails step k and every later call, as if the machine lost power there. Reads before the crash
// pass freely; after it nothing does, because a dead machine does not read either.
import { SimulatedCrashError } from './errors.js';
import type { FileSystem } from './fs.js';

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
    writeFile: async (...a: Parameters<FileSystem['writeFile']>) => (gate('writeFile'), fs.writeFile(...a)),
    appendFile: async (p: string, d: Uint8Array | string) => (gate('appendFile'), fs.appendFile(p, d)),
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
