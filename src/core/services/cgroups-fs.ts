// What the cgroup v2 and v1 implementations share: file helpers (cgroupfs files are read and written whole,
// and a write's errno is the kernel's answer: EINVAL, EBUSY, EOPNOTSUPP, kept for the message), and the
// per-unit group operations both hierarchies do alike (create, attach, list, kill all, remove).
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CgroupError } from './errors.js';

export async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

/** Writes a control file; resolves to null on success, else the reason in words. */
export async function writeControl(path: string, value: string): Promise<string | null> {
  try {
    await writeFile(path, value);
    return null;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return `writing "${value}" to ${path} failed: ${e.code ?? e.message}`;
  }
}

export async function readPids(path: string): Promise<number[]> {
  const t = await readText(path);
  return t ? t.split('\n').filter(Boolean).map(Number) : [];
}

/** A `key value` line from memory.events or memory.oom_control. */
export function counter(text: string | null, key: string): number {
  const m = text?.match(new RegExp(`^${key} (\\d+)$`, 'm'));
  return m ? Number(m[1]) : 0;
}

function signalAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
}

/** One group per unit under a root, as both hierarchies lay them out. */
export interface UnitGroups {
  dir(unit: string): string;
  procsFile(unit: string): string;
  /** @throws CgroupError when the group's directory cannot be made */
  make(unit: string): Promise<void>;
  /** Writes the pid to the group's cgroup.procs. @throws CgroupError with the kernel's errno */
  attach(unit: string, pid: number): Promise<void>;
  procs(unit: string): Promise<number[]>;
  /** SIGKILLs every member: by cgroup.kill where the kernel has it (v2, Linux 5.14), else pid by pid. */
  killAll(unit: string): Promise<void>;
  /** Removes the group's directory; a group that is already gone is fine. @throws CgroupError (EBUSY: members left) */
  remove(unit: string): Promise<void>;
}

export function unitGroups(root: string, o: { killFile: boolean }): UnitGroups {
  const dir = (unit: string): string => join(root, unit);
  const procsFile = (unit: string): string => join(dir(unit), 'cgroup.procs');
  return {
    dir,
    procsFile,
    async make(unit) {
      try {
        await mkdir(dir(unit), { recursive: true });
      } catch (err) {
        throw new CgroupError(`Cannot create the cgroup of service "${unit}": ${(err as Error).message}`, { cause: err });
      }
    },
    async attach(unit, pid) {
      const p = await writeControl(procsFile(unit), String(pid));
      if (p) throw new CgroupError(`Cannot move pid ${pid} into the cgroup of service "${unit}": ${p}`);
    },
    procs: (unit) => readPids(procsFile(unit)),
    async killAll(unit) {
      if (o.killFile && (await writeControl(join(dir(unit), 'cgroup.kill'), '1')) === null) return;
      signalAll(await readPids(procsFile(unit)));
    },
    async remove(unit) {
      try {
        await rmdir(dir(unit));
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return;
        throw new CgroupError(`Cannot remove the cgroup of service "${unit}": ${code}`, { cause: err });
      }
    },
  };
}
