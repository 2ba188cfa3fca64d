// Small file helpers shared by the cgroup v2 and v1 implementations: cgroupfs files are read and written
// whole, and a write's errno is the kernel's answer (EINVAL, EBUSY, EOPNOTSUPP), kept for the message.
import { readFile, writeFile } from 'node:fs/promises';

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

export function signalAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
}
