// The pid file of a dialogosd instance: claimed at start (a stale one, whose process is gone or is not
// a dialogosd, is replaced), removed at a clean stop. Together with the socket check it lets
// `dialogos host start` tell a running instance from the leftovers of a crash.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export class InstanceRunningError extends Error {
  override name = 'InstanceRunningError';
}

/** Whether `pid` is alive and runs dialogosd (its command line holds "daemon"). */
export async function isDialogosd(pid: number): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    const cmd = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    return cmd.includes('daemon');
  } catch {
    return false;
  }
}

export async function readPid(file: string): Promise<number | null> {
  try {
    const n = Number((await readFile(file, 'utf8')).trim());
    return Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

export function pidFile(file: string) {
  return {
    /** @throws InstanceRunningError when another live dialogosd holds it */
    async claim(): Promise<{ release(): Promise<void> }> {
      const old = await readPid(file);
      if (old !== null && old !== process.pid && (await isDialogosd(old))) {
        throw new InstanceRunningError(`Cannot start dialogosd: pid ${old} already runs it (pid file "${file}")`);
      }
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, `${process.pid}\n`);
      return {
        async release() {
          if ((await readPid(file)) === process.pid) await rm(file, { force: true });
        },
      };
    },
  };
}
