// An UNSANDBOXED local Runner for the benchmark stage and its tests: each run is a fresh child process in a
// fresh copy of the tree, and its CPU time is measured outside it. It isolates runs from each other (a new tree,
// HOME and TMPDIR per run, all deleted after) but it is no security boundary: no namespaces, no seccomp, no
// cgroups; memory and pids limits are not enforced. The sandbox (src/evolve/sandbox) is the runner for
// untrusted candidates; this one stands in where it is not available.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { RunRequest, RunResult, Runner } from '../types.js';

export interface ChildRunnerOptions {
  /** Paths of the lower tree copied into each run's tree (default: dist and package.json). */
  include?: string[];
  /** Paths symlinked from the lower tree instead: large read-only installs (default: node_modules). */
  link?: string[];
  /** Where run folders are made (default: the OS's temporary folder). */
  tmpRoot?: string;
}

const MAX_OUTPUT = 1 << 20;

/**
 * bash measures its waited-for children with getrusage (`times`, second line) and writes the figure to fd 3,
 * which the workload does not inherit, so nothing the workload prints can take the place of the measurement.
 */
const WRAPPER = 'ulimit -f "$1" || exit 125; shift; "$@" 3>&-; rc=$?; times >&3; exit $rc';

/** Seconds of bash's `times` ("0m1.250s") as milliseconds. */
const clock = (m: string, s: string): number => (Number(m) * 60 + Number(s)) * 1000;

/** The children's user + system CPU from bash's `times`; NaN when the wrapper never wrote it. */
export function parseTimes(text: string): number {
  const lines = [...text.matchAll(/^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/gm)];
  const kids = lines.length >= 2 ? lines[lines.length - 1]! : undefined;
  return kids ? clock(kids[1]!, kids[2]!) + clock(kids[3]!, kids[4]!) : NaN;
}

function materialize(req: RunRequest, tree: string, o: ChildRunnerOptions): void {
  mkdirSync(tree, { recursive: true });
  for (const p of o.include ?? ['dist', 'package.json']) {
    const from = join(req.tree.lower, p);
    if (existsSync(from)) cpSync(from, join(tree, p), { recursive: true, filter: (f) => !f.endsWith('.map') });
  }
  for (const p of o.link ?? ['node_modules']) {
    if (existsSync(join(req.tree.lower, p))) symlinkSync(join(req.tree.lower, p), join(tree, p));
  }
  for (const c of req.tree.changes) {
    const at = join(tree, c.path);
    if (c.after === null) rmSync(at, { force: true });
    else {
      mkdirSync(dirname(at), { recursive: true });
      writeFileSync(at, c.after);
    }
  }
}

const signalName = (n: number): string | null =>
  Object.entries(constants.signals).find(([, v]) => v === n)?.[0] ?? null;

export class ChildRunner implements Runner {
  constructor(private readonly o: ChildRunnerOptions = {}) {}

  async run(req: RunRequest): Promise<RunResult> {
    const root = mkdtempSync(join(this.o.tmpRoot ?? tmpdir(), 'dialogos-run-'));
    try {
      const tree = join(root, 'tree');
      const home = join(root, 'home');
      materialize(req, tree, this.o);
      mkdirSync(home);
      return await this.#spawn(req, join(tree, req.cwd ?? '.'), home);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }

  #spawn(req: RunRequest, cwd: string, home: string): Promise<RunResult> {
    const env = { ...req.env, HOME: home, TMPDIR: home };
    const blocks = Math.max(1, Math.ceil(req.limits.fileBytes / 1024));
    const started = performance.now();
    const child = spawn('/bin/bash', ['-c', WRAPPER, 'run', String(blocks), ...req.argv], {
      cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    const out = { stdout: '', stderr: '', times: '' };
    const collect = (k: keyof typeof out) => (d: Buffer) => { if (out[k].length < MAX_OUTPUT) out[k] += d.toString('utf8'); };
    child.stdout!.on('data', collect('stdout'));
    child.stderr!.on('data', collect('stderr'));
    child.stdio[3]!.on('data', collect('times'));
    let limitHit: RunResult['limitHit'] = null;
    const killGroup = () => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ } };
    const timer = setTimeout(() => { limitHit = 'wall'; killGroup(); }, req.limits.wallMs);
    return new Promise((resolve, reject) => {
      child.on('error', (e) => { clearTimeout(timer); reject(e); });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        killGroup(); // nothing the run started outlives it
        const died = code !== null && code > 128 ? signalName(code - 128) : null;
        // Node ignores SIGXFSZ: a write past RLIMIT_FSIZE fails with EFBIG instead (reporting it can only reject).
        if (died === 'SIGXFSZ' || (code !== 0 && /\bEFBIG\b/.test(out.stderr))) limitHit ??= 'file';
        resolve({
          exitCode: died ? null : code, signal: signal ?? died, limitHit,
          wallMs: performance.now() - started, cpuMs: parseTimes(out.times), peakMemoryBytes: null,
          stdout: out.stdout, stderr: out.stderr,
        });
      });
    });
  }
}
