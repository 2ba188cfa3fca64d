// createSandboxRunner: the Runner of src/evolve/types.ts. Each run gets its own cgroup (memory, pids, CPU
// accounting), an overlay of the candidate's files over the parent tree, fresh namespaces (no network but
// lo, private mounts, its own PIDs), a read-only view of the rest of the machine with secrets covered, and
// the jail (unprivileged uid, no_new_privs, seccomp, file-size limit). See README.md for what is isolated.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, realpath } from 'node:fs/promises';
import { constants } from 'node:os';
import { join } from 'node:path';
import { detectCgroups, type Cgroups } from '../../core/services/index.js';
import type { RunRequest, RunResult, Runner } from '../types.js';
import { SandboxRequestError, SandboxSetupError } from './errors.js';
import { launch, SETUP_MS } from './launch.js';
import { preflight } from './preflight.js';
import { SETUP_SCRIPT, setupArgs } from './setup.js';
import { cleanStale, drain, mountRunDir, removeRunDir, writeOwner } from './stale.js';
import { checkPath, envWords, writeChanges } from './tree.js';
import { giveOut } from './outdir.js';
import { invalidLimit } from '../limits.js';

export interface SandboxOptions {
  /** The built native/jail binary (native/build.sh OUTDIR jail). */
  jail: string;
  /** Where run dirs (upper, work) live; stale ones are cleaned at the first run. Default /var/tmp/dialogos-sandbox. */
  stateDir?: string;
  /** The unprivileged identity of the run (default 65534, nobody). */
  uid?: number;
  gid?: number;
  /** Paths covered by an empty read-only tmpfs (folders) or /dev/null (files) when they exist. */
  hide?: string[];
  /** Bytes kept of stdout and of stderr each (default 1 MiB). */
  outputLimit?: number;
  /** The cgroups to use (default: detectCgroups for instance "sandbox"). */
  cgroups?: Cgroups;
  /** Called with the run's upper dir (what the run wrote to the tree) before it is removed. */
  beforeCleanup?(run: { upper: string }): Promise<void>;
}

export const DEFAULT_HIDE = [
  '/root', '/home', '/etc/ssh', '/etc/shadow', '/etc/gshadow', '/data/dialogos/keys', '/var/lib/dialogos', '/var/log',
  '/boot', '/dev/shm', '/var/tmp', '/sys/firmware', '/sys/kernel/debug',
];
const SETUP_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const JOIN = 'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 124; shift; n=$((n-1)); done; exec "$@"';
const NS = ['--net', '--mount', '--pid', '--ipc', '--uts', '--fork', '--kill-child', '--mount-proc'];

const signalName = (n: number): string => Object.entries(constants.signals).find(([, v]) => v === n)?.[0] ?? `signal ${n}`;

/**
 * @throws SandboxUnavailableError (from run) when the host cannot sandbox; SandboxRequestError for a bad
 * request; SandboxSetupError when a run cannot be set up
 */
export function createSandboxRunner(opts: SandboxOptions): Runner {
  const o = { stateDir: '/var/tmp/dialogos-sandbox', uid: 65534, gid: 65534, hide: DEFAULT_HIDE, outputLimit: 1 << 20, ...opts };
  let seq = 0;
  let ready: Promise<{ cgroups: Cgroups; state: string }> | null = null;
  const start = async (): Promise<{ cgroups: Cgroups; state: string }> => {
    const cgroups = o.cgroups ?? (await detectCgroups({ instance: 'sandbox' }));
    await preflight({ jail: o.jail, cgroups, path: SETUP_PATH, uid: o.uid });
    await mkdir(o.stateDir, { recursive: true, mode: 0o700 });
    const state = await realpath(o.stateDir);
    await cleanStale(state, cgroups);
    return { cgroups, state };
  };
  return {
    async run(req) {
      ready ??= start();
      ready.catch(() => (ready = null));
      const { cgroups, state } = await ready;
      checkRequest(req);
      const unit = `run-${process.pid}-${++seq}-${randomBytes(3).toString('hex')}`;
      const dir = join(state, unit);
      const out = req.outDir ? await realpath(req.outDir).catch((err: Error) => {
        throw new SandboxRequestError(`Cannot run the candidate: the out dir "${req.outDir}" cannot be resolved: ${err.message}`, { cause: err });
      }) : '';
      const lower = await realpath(req.tree.lower).catch((err: Error) => {
        throw new SandboxRequestError(`Cannot run the candidate: the parent tree "${req.tree.lower}" cannot be resolved: ${err.message}`, { cause: err });
      });
      let back: (() => Promise<void>) | null = null;
      try {
        // The run dir is a tmpfs of limits.tmpBytes: what the run writes to its tree cannot fill the disk.
        await mountRunDir(dir, req.limits.tmpBytes);
        await writeOwner(dir);
        await mkdir(join(dir, 'upper'));
        await mkdir(join(dir, 'work'));
        await writeChanges(req.tree.changes, join(dir, 'upper'), join(dir, 'deletions'), lower);
        if (out) back = await giveOut(out, o.uid, o.gid);
        return await execute(o, cgroups, unit, { dir, state, out, lower }, req);
      } finally {
        await drain(cgroups, unit).catch(() => undefined);
        try {
          await o.beforeCleanup?.({ upper: join(dir, 'upper') });
        } finally {
          await removeRunDir(dir);
          await back?.();
        }
      }
    },
  };
}

function checkRequest(req: RunRequest): void {
  if (!req.argv.length) throw new SandboxRequestError('Cannot run the candidate: the argv is empty');
  if (req.cwd) checkPath(req.cwd, 'the working directory');
  // overlayfs splits lowerdir at ':' and its options at ','; the setup script reads lists by line.
  for (const [what, p] of [['tree', req.tree.lower], ['out dir', req.outDir ?? '']] as const) {
    if (/[,:\n\\]/.test(p)) throw new SandboxRequestError(`Cannot run the candidate: the ${what} "${p}" has a character (, : \\ or a newline) the overlay options cannot carry`);
  }
  const bad = invalidLimit(req.limits);
  if (bad) throw new SandboxRequestError(`Cannot run the candidate: limit ${bad}, not a positive integer`);
}

type Opts = Required<Omit<SandboxOptions, 'cgroups' | 'beforeCleanup'>>;

interface Paths { dir: string; state: string; out: string; lower: string }

async function execute(o: Opts, cgroups: Cgroups, unit: string, { dir, state, out, lower }: Paths, req: RunRequest): Promise<RunResult> {
  const { limits } = req;
  const made = await cgroups.create(unit, { memoryBytes: limits.memoryBytes, pids: limits.pids });
  if (made.limits.unsupported.length) {
    throw new SandboxSetupError(`Cannot limit the run "${unit}": ${made.limits.unsupported.map((u) => `${u.limit}: ${u.reason}`).join('; ')}`);
  }
  const env = {
    PATH: SETUP_PATH, SBX_RUN: dir, SBX_STATE: state, SBX_LOWER: lower, SBX_UPPER: join(dir, 'upper'),
    SBX_WORK: join(dir, 'work'), SBX_JAIL: o.jail, SBX_OUT: out, SBX_TMP_BYTES: String(limits.tmpBytes), SBX_HIDE: o.hide.join('\n'),
    SBX_CWD: req.cwd ?? '', SBX_UID: String(o.uid), SBX_GID: String(o.gid),
  };
  const inner = ['unshare', ...NS, '--', 'sh', '-c', SETUP_SCRIPT, 'sh', ...setupArgs(envWords(req.env), limits.fileBytes, o.uid, o.gid, req.argv)];
  // timeout bounds the run (setup included) even if this process dies; launch's wall timer is the precise one.
  const outer = ['timeout', '-s', 'KILL', String(Math.ceil((limits.wallMs + SETUP_MS) / 1000) + 5), ...inner];
  const base = { cpuMs: 0 };
  const run = await launch(['sh', '-c', JOIN, 'sh', String(made.procs.length), ...made.procs, ...outer], env, {
    wallMs: limits.wallMs, outputLimit: o.outputLimit,
    // The command's CPU only: the setup's share is what the group has used when it reports ready.
    onReady: async () => { base.cpuMs = (await cgroups.usage?.(unit))?.cpuMs ?? 0; },
    kill: () => cgroups.killAll(unit),
  });
  const { end, wallHit, wallMs, stdout, stderr } = run;
  const usage = (await cgroups.usage?.(unit)) ?? { cpuMs: null, peakMemoryBytes: null, pidsLimitHits: null };
  const oom = await cgroups.oomKills(unit);
  const m = run.status.match(/^(exit|signal) (\d+)$/m);
  if (run.setupTimedOut) throw new SandboxSetupError(`Cannot set up the sandbox for "${req.argv[0]}": the setup did not finish within ${SETUP_MS} ms`);
  const setupFailed = !m && !wallHit && oom === 0 && end.code === 125 ? stderr.text().match(/^sandbox: (.*)$/m) : null;
  if (setupFailed) throw new SandboxSetupError(`Cannot set up the sandbox for "${req.argv[0]}": ${setupFailed[1]}`);
  const exitCode = m ? (m[1] === 'exit' ? Number(m[2]) : null) : end.code;
  const signal = m ? (m[1] === 'signal' ? signalName(Number(m[2])) : null) : end.signal;
  const limitHit = oom > 0 ? 'memory' : signal === 'SIGXFSZ' ? 'file' : (usage.pidsLimitHits ?? 0) > 0 ? 'pids' : wallHit ? 'wall' : null;
  return {
    exitCode: limitHit === 'wall' && !m ? null : exitCode, signal: limitHit === 'wall' && !m ? 'SIGKILL' : signal, limitHit, wallMs,
    cpuMs: Math.max(0, (usage.cpuMs ?? 0) - base.cpuMs), peakMemoryBytes: usage.peakMemoryBytes, stdout: stdout.text(), stderr: stderr.text(),
  };
}
