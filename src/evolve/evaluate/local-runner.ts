// The unsandboxed Runner, for hosts without root and for the evaluator's own tests: it builds the candidate's
// view of the parent tree in a temporary folder (materialise.ts) and runs argv there as a child process with
// exactly the given environment and a wall budget. It DOES NOT ISOLATE: no namespaces, no uid change, no
// cgroup, the network and the host's files are reachable, and a run can write through the view's hard links
// into the parent tree. Only the wall limit is enforced; the sandbox (src/evolve/sandbox) is the real Runner.
// CPU time is that of every waited-for process of the run, from the POSIX shell's `times` on a spare fd.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunRequest, RunResult, Runner } from '../types.js';
import { invalidLimit } from '../limits.js';
import { RunRequestError } from './errors.js';
import { materialise, MIRRORED } from './materialise.js';

export interface LocalRunnerOptions {
  /** Where views are made (default the host's temporary folder). */
  tmpRoot?: string;
  /** Top-level folders mirrored file by file (default src, dist, scripts; plus any the change touches). */
  mirror?: readonly string[];
  /** Keep each view after its run (for debugging); default false. */
  keepViews?: boolean;
}

/** Most bytes of stdout and of stderr kept (the end of each). */
const OUTPUT_TAIL = 256 * 1024;
/** Runs argv ("$@"), then reports the CPU times of its waited-for children on fd 3 and exits with its code. */
const WRAPPER = '"$@" 3>&-; s=$?; times >&3; exit $s';

/** Children's user and system time from `times` output (its second line), in milliseconds. */
export function parseTimes(text: string): number | null {
  const t = [...text.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60_000 + Number(m[2]) * 1000);
  return t.length >= 4 ? Math.round(t[2]! + t[3]!) : null;
}

/** utime + stime + cutime + cstime of a live process, in milliseconds (Linux /proc), or 0. */
function procCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = [11, 12, 13, 14].reduce((s, i) => s + Number(f[i] ?? 0), 0);
    return Math.round((ticks * 1000) / 100);
  } catch {
    return 0;
  }
}

const keepTail = (s: string, chunk: Buffer): string => (s + chunk.toString('utf8')).slice(-OUTPUT_TAIL);

function runIn(view: string, req: RunRequest): Promise<RunResult> {
  const started = performance.now();
  // The shell exports PWD; the run's environment is the request's, so it goes unless the request sets it.
  const script = 'PWD' in req.env ? WRAPPER : `unset PWD; ${WRAPPER}`;
  const child = spawn('/bin/sh', ['-c', script, 'sh', ...req.argv], {
    cwd: join(view, req.cwd ?? ''), env: req.env, detached: true, stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let times = '';
  let limitHit: RunResult['limitHit'] = null;
  let cpuAtKill = 0;
  child.stdout!.on('data', (c: Buffer) => { stdout = keepTail(stdout, c); });
  child.stderr!.on('data', (c: Buffer) => { stderr = keepTail(stderr, c); });
  (child.stdio[3] as NodeJS.ReadableStream).on('data', (c: Buffer) => { times += c.toString('utf8'); });
  let exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const killGroup = () => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ } };
  const timer = setTimeout(() => {
    if (exited) {
      // Exited, but something that left its process group still holds the output pipes: stop reading.
      for (const s of [child.stdout, child.stderr, child.stdio[3]]) s?.destroy();
      return;
    }
    limitHit = 'wall';
    cpuAtKill = procCpuMs(child.pid!);
    killGroup();
  }, req.limits.wallMs);
  return new Promise((resolve, reject) => {
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    // The run's own descendants that outlived it go with it.
    child.on('exit', (code, signal) => { exited = { code, signal }; killGroup(); });
    child.on('close', () => {
      clearTimeout(timer);
      resolve({
        exitCode: exited?.code ?? null, signal: exited?.signal ?? null, limitHit, wallMs: Math.round(performance.now() - started),
        cpuMs: parseTimes(times) ?? cpuAtKill, peakMemoryBytes: null, stdout, stderr,
      });
    });
  });
}

/** A Runner that materialises each candidate's view on the host and runs argv in it, unsandboxed. */
export function createLocalRunner(o: LocalRunnerOptions = {}): Runner {
  return {
    async run(req: RunRequest): Promise<RunResult> {
      const bad = invalidLimit(req.limits);
      if (bad) throw new RunRequestError(`Cannot run the candidate: limit ${bad}, not a positive integer`);
      const view = mkdtempSync(join(o.tmpRoot ?? tmpdir(), 'evolve-view-'));
      try {
        materialise(req.tree.lower, req.tree.changes, view, o.mirror ?? MIRRORED);
        return await runIn(view, req);
      } finally {
        if (!o.keepViews) rmSync(view, { recursive: true, force: true });
      }
    },
  };
}
