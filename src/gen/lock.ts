// The store lock: an O_EXCL lock file holding the owner's pid and boot id, so two `dialogos gen`
// commands (or the CLI and dialogosd) do not interleave read-modify-write of state.json. A lock
// whose owner is dead, or from an earlier boot (pids repeat across boots), is stale and taken over.
import { readFileSync } from 'node:fs';
import { StoreLockedError } from './errors.js';
import type { FileSystem } from './fs.js';

export interface LockOwner {
  pid: number;
  bootId: string;
  /** Whether a process with this pid runs now (on this boot). */
  isAlive(pid: number): boolean;
}

/** The current process as lock owner. */
export function currentProcessOwner(): LockOwner {
  let bootId = 'unknown';
  try {
    bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    // no /proc (tests on other systems): pid liveness alone decides
  }
  return {
    pid: process.pid,
    bootId,
    isAlive(pid) {
      try {
        process.kill(pid, 0);
        return true;
      } catch (err) {
        return (err as NodeJS.ErrnoException).code === 'EPERM';
      }
    },
  };
}

// Tokens of locks this process holds now: a lock file with our own pid but a token we do not hold
// was left by an earlier, crashed incarnation in the same process (tests) and is stale.
const held = new Set<string>();

export interface Lock {
  release(): Promise<void>;
}

/**
 * Takes the lock at `path`.
 * @throws StoreLockedError when a live owner holds it
 */
export async function acquireLock(fs: FileSystem, path: string, owner: LockOwner): Promise<Lock> {
  const token = `${owner.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const body = JSON.stringify({ pid: owner.pid, bootId: owner.bootId, token });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await fs.writeFile(path, body, { exclusive: true });
      held.add(token);
      return {
        async release() {
          held.delete(token);
          await fs.rm(path);
        },
      };
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'EEXIST') throw err;
    }
    const holder = await readHolder(fs, path);
    if (holder && !isStale(holder, owner)) {
      throw new StoreLockedError(`Cannot change the store: it is locked by process ${holder.pid} ("${path}")`);
    }
    await fs.rm(path);
  }
  throw new StoreLockedError(`Cannot change the store: could not take the lock "${path}"`);
}

interface Holder {
  pid: number;
  bootId: string;
  token: string;
}

async function readHolder(fs: FileSystem, path: string): Promise<Holder | null> {
  try {
    const h = JSON.parse(new TextDecoder().decode(await fs.readFile(path))) as Partial<Holder>;
    if (typeof h.pid === 'number' && typeof h.bootId === 'string' && typeof h.token === 'string') return h as Holder;
    return null; // unreadable lock (a crash mid-write): stale
  } catch {
    return null;
  }
}

function isStale(h: Holder, owner: LockOwner): boolean {
  if (h.bootId !== owner.bootId) return true;
  if (h.pid === owner.pid) return !held.has(h.token);
  return !owner.isAlive(h.pid);
}
