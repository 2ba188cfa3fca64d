// One writer per journal directory: two would interleave seq numbers and race on rotation. The lock
// file names the holder's pid; a lock left by a killed process (kill -9, power cut) is taken over.
import { readFileSync } from 'node:fs';
import { joinPath } from '../../gen/index.js';
import { JournalLockedError } from './errors.js';
import type { JournalFs } from './jfs.js';

// Per file-system object, so that tests with many in-memory file systems do not see each other.
const heldHere = new WeakMap<JournalFs, Set<string>>();

/**
 * Whether a process with this pid exists (signal 0 checks without sending) and is not a zombie: a killed
 * writer whose parent has not reaped it (a host instance reparented to an init that does not reap) holds
 * no lock.
 */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/**
 * Takes the writer lock of `dir`; returns its release.
 * @throws JournalLockedError when this process or another live one holds it
 */
export async function acquireWriterLock(fs: JournalFs, dir: string, isAlive = pidAlive): Promise<() => Promise<void>> {
  const path = joinPath(dir, 'writer.lock');
  const held = heldHere.get(fs) ?? new Set<string>();
  heldHere.set(fs, held);
  if (held.has(path)) throw new JournalLockedError(`Cannot open journal "${dir}" for writing: this process already has it open`);
  if (await fs.exists(path)) {
    // Only a whole `<pid>\n` counts: a lock file torn by a power cut could name a stranger's pid.
    const m = /^(\d+)\n$/.exec(new TextDecoder().decode(await fs.readFile(path)));
    const pid = m ? Number(m[1]) : 0;
    if (pid > 0 && pid !== process.pid && isAlive(pid)) {
      throw new JournalLockedError(`Cannot open journal "${dir}" for writing: process ${pid} holds it`);
    }
  }
  await fs.writeFile(path, `${process.pid}\n`);
  held.add(path);
  return async () => {
    held.delete(path);
    await fs.rm(path);
  };
}
