// The real ProcessRunner: node:child_process with each service leading its own process group (setsid),
// so that stopping it signals the whole tree, and /proc for start times, adoption and group membership.
import { spawn } from 'node:child_process';
import { access, constants, readdir, readFile, stat } from 'node:fs/promises';
import { ProcessSpawnError } from './errors.js';
import type { ExitInfo, ProcessHandle, ProcessRunner, SpawnRequest, Stream } from './ports.js';

/** Fields of /proc/<pid>/stat after the command name (which may itself hold spaces and parentheses). */
async function statFields(pid: number): Promise<string[] | null> {
  try {
    const s = await readFile(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

async function liveStartTime(pid: number): Promise<string | null> {
  const f = await statFields(pid);
  // f[0] is the state, f[19] is field 22 (starttime, in clock ticks since boot).
  if (!f || f[0] === 'Z' || f[0] === 'X') return null;
  return f[19] ?? null;
}

/** Hands `stream`'s bytes to the request's sink as they come; a failing sink never reaches the child. */
function forward(req: SpawnRequest, stream: Stream, from: NodeJS.ReadableStream): void {
  const guard = (f: () => void): void => {
    try {
      f();
    } catch {
      // A failing sink (the journal) must not take the service down with it.
    }
  };
  from.on('data', (d: Buffer) => guard(() => req.onOutput?.(stream, d)));
  from.once('end', () => guard(() => req.onOutputEnd?.(stream)));
  from.on('error', () => undefined);
}

// Joins the given cgroups, then execs the command: `sh -c SCRIPT sh N procs... command args...`.
const JOIN_SCRIPT = 'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 126; shift; n=$((n-1)); done; exec "$@"';

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/**
 * Finds the command as execvp would (a name with a slash as is, else along the child's PATH), so that a
 * missing command is a clear spawn error even when the cgroup wrapper shell would run it.
 * @throws ProcessSpawnError
 */
async function checkCommand(req: SpawnRequest): Promise<void> {
  const fail = (why: string): never => { throw new ProcessSpawnError(`Cannot start service "${req.unit}": ${why}`); };
  if (req.cwd && !(await stat(req.cwd).then((s) => s.isDirectory(), () => false))) fail(`working directory "${req.cwd}" does not exist`);
  const candidates = req.command.includes('/') ? [req.command] : (req.env.PATH ?? '/usr/bin:/bin').split(':').filter(Boolean).map((d) => `${d}/${req.command}`);
  for (const c of candidates) if (await access(c, constants.X_OK).then(() => true, () => false)) return;
  fail(req.command.includes('/') ? `command "${req.command}" does not exist or is not executable` : `command "${req.command}" not found in PATH "${req.env.PATH ?? ''}"`);
}

export function createNodeRunner(opts: { shell?: string; pollMs?: number } = {}): ProcessRunner {
  const shell = opts.shell ?? '/bin/sh';
  const pollMs = opts.pollMs ?? 250;
  return {
    async spawn(req) {
      await checkCommand(req);
      const procs = req.cgroupProcs ?? [];
      const [file, argv] = procs.length
        ? [shell, ['-c', JOIN_SCRIPT, 'sh', String(procs.length), ...procs, req.command, ...req.args]]
        : [req.command, req.args];
      const child = spawn(file, argv, {
        detached: true, env: req.env, cwd: req.cwd, uid: req.uid, gid: req.gid, stdio: ['ignore', 'pipe', 'pipe'],
      });
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', (err) => reject(new ProcessSpawnError(`Cannot start service "${req.unit}": ${req.command}: ${err.message}`, { cause: err })));
      });
      const pid = child.pid as number;
      // The pipes end when every process holding them is gone (the unit kills the group and cgroup after
      // the main process exits), so output still in the pipe at exit is delivered, not cut off.
      forward(req, 'stdout', child.stdout!);
      forward(req, 'stderr', child.stderr!);
      const exited = new Promise<ExitInfo>((resolve) => {
        child.once('exit', (code, signal) => resolve({ code, signal }));
      });
      const startTime = (await liveStartTime(pid)) ?? '';
      return { pid, startTime, exited, killGroup: (sig) => killGroup(pid, sig) };
    },
    startTime: liveStartTime,
    async adopt(pid, startTime) {
      if ((await liveStartTime(pid)) !== startTime) return null;
      // Not our child: no exit status to wait for, so watch /proc until the pid is gone or reused.
      const exited = new Promise<ExitInfo>((resolve) => {
        const t = setInterval(() => {
          void liveStartTime(pid).then((st) => {
            if (st === startTime) return;
            clearInterval(t);
            resolve({ code: null, signal: null });
          });
        }, pollMs);
      });
      return { pid, startTime, exited, killGroup: (sig) => killGroup(pid, sig) };
    },
    async groupMembers(pgid) {
      const out: number[] = [];
      for (const name of await readdir('/proc')) {
        if (!/^\d+$/.test(name)) continue;
        const f = await statFields(Number(name));
        if (f && f[0] !== 'Z' && f[0] !== 'X' && Number(f[2]) === pgid) out.push(Number(name));
      }
      return out;
    },
    killGroup,
  };
}
