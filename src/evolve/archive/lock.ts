// One writer per archive: a lock file created exclusively, naming the holder's pid and host. A lock whose
// holder is gone (kill -9 leaves one behind) is taken over; a live holder makes the open fail by name.
import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

/** Another live process holds the archive for writing. */
export class ArchiveLockedError extends Error {
  override name = 'ArchiveLockedError';
  constructor(readonly path: string, readonly holder: number) {
    const who = holder ? `process ${holder} holds its lock` : 'another process is taking its lock';
    super(`Cannot open archive "${path}" for writing: ${who} (another evolve run); wait for it or stop it`);
  }
}

interface Holder { pid: number; host: string; since: string }

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

function readHolder(file: string): Holder | null {
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as Holder;
    return Number.isInteger(h.pid) ? h : null;
  } catch {
    return null; // torn or empty: its writer died between create and write
  }
}

const mtimeMs = (file: string): number => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
};

/**
 * Takes the lock at `file` for this process; returns the release function.
 * @throws ArchiveLockedError when a live process on this host holds it
 */
export function takeLock(file: string, archive: string): () => void {
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o644);
      try {
        writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
      } finally {
        closeSync(fd);
      }
      return () => rmSync(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw err;
      const h = readHolder(file);
      // An empty lock may be a live writer between its create and its write: only an old one is stale.
      if (!h && Date.now() - mtimeMs(file) < 2_000) throw new ArchiveLockedError(archive, 0);
      if (h && h.host === hostname() && alive(h.pid)) throw new ArchiveLockedError(archive, h.pid);
      if (h && h.host !== hostname()) throw new ArchiveLockedError(archive, h.pid);
      rmSync(file, { force: true });
    }
  }
}
