// Runs whose runner died (kill -9) leave a folder in the state dir and a cgroup with processes in it.
// Each run dir holds its owner's pid and start time; a dir whose owner is gone (or is another process by
// now, the pid reused) is cleaned at the next start: the group killed and removed, the folder deleted.
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Cgroups } from '../../core/services/index.js';
import { SandboxSetupError } from './errors.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const run = (argv: string[]): Promise<string | null> =>
  new Promise((resolve) => execFile(argv[0]!, argv.slice(1), (err, _o, e) => resolve(err ? e.trim() || err.message : null)));

/** Makes `dir` a tmpfs of `bytes`. @throws SandboxSetupError */
export async function mountRunDir(dir: string, bytes: number): Promise<void> {
  await mkdir(dir, { mode: 0o700 });
  const p = await run(['mount', '-t', 'tmpfs', '-o', `size=${bytes},mode=0700`, 'sandbox-run', dir]);
  if (p) throw new SandboxSetupError(`Cannot mount the run dir "${dir}" as a tmpfs: ${p}`);
}

const mounted = async (dir: string): Promise<boolean> =>
  (await readFile('/proc/self/mountinfo', 'utf8')).split('\n').some((l) => l.split(' ')[4] === dir);

/** Unmounts (lazily if busy) and removes a run dir; an absent one is fine. */
export async function removeRunDir(dir: string): Promise<void> {
  while (await mounted(dir)) {
    if (await run(['umount', dir])) await run(['umount', '-l', dir]);
  }
  await rm(dir, { recursive: true, force: true });
}

/** Field 22 of /proc/<pid>/stat: the start time that tells a pid's process from a later one. */
async function startTime(pid: number): Promise<string | null> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  return stat ? stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null : null;
}

export async function writeOwner(dir: string): Promise<void> {
  await writeFile(join(dir, 'owner'), `${process.pid} ${await startTime(process.pid)}\n`);
}

async function ownerAlive(dir: string): Promise<boolean> {
  const text = await readFile(join(dir, 'owner'), 'utf8').catch(() => '');
  const [pid, start] = text.trim().split(' ');
  return !!pid && (await startTime(Number(pid))) === start;
}

/** Kills every process of the unit's group until it is empty, then removes it. @throws CgroupError */
export async function drain(cgroups: Cgroups, unit: string): Promise<void> {
  for (let i = 0; i < 200 && (await cgroups.procs(unit)).length; i++) {
    await cgroups.killAll(unit);
    await sleep(25);
  }
  for (let i = 0; ; i++) {
    try {
      return await cgroups.remove(unit);
    } catch (err) {
      if (i >= 40) throw err;
      await sleep(25);
    }
  }
}

/** Cleans every run dir in `state` whose owner is gone; returns the units cleaned. */
export async function cleanStale(state: string, cgroups: Cgroups): Promise<string[]> {
  const cleaned: string[] = [];
  for (const unit of await readdir(state).catch(() => [] as string[])) {
    const dir = join(state, unit);
    if (!unit.startsWith('run-') || (await ownerAlive(dir))) continue;
    await drain(cgroups, unit);
    await removeRunDir(dir);
    cleaned.push(unit);
  }
  return cleaned;
}
