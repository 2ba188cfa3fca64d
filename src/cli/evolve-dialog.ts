// The dialog's view of the self-improvement loop (src/dialog's EvolveTools), bound here where the archive,
// the evolve CLI and the source tree meet. Reads go to the archive, read-only and fresh each time; the three
// changes run the `dialogos evolve` command itself (a run in the background, a promotion in the foreground),
// so what the confirmation shows is exactly what runs. Nothing here runs before the dialog's yes.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { runLines, OsToolError, type DialogInit, type PlannedCall } from '../dialog/index.js';
import { openArchive, parseBudget, progressLine, speed, type Archive, type CandidateRecord, type RunRecord } from '../evolve/index.js';

type EvolveTools = NonNullable<DialogInit['evolve']>;

/** A target the loop cannot work on: not one of its forms, no such test file, no such benchmark. */
export class UnknownEvolveTargetError extends Error {
  override name = 'UnknownEvolveTargetError';
}

/** The archive holds no run to show or stop (none yet, or none is running). */
export class NoEvolveRunError extends Error {
  override name = 'NoEvolveRunError';
}

/** An id that names a run where a candidate was asked for (or the reverse). */
export class WrongRecordKindError extends Error {
  override name = 'WrongRecordKindError';
}

/** A candidate that may not be promoted: it was not accepted. */
export class NotPromotableError extends Error {
  override name = 'NotPromotableError';
}

export interface DialogEvolveInit {
  /** The archive folder (`archiveDir` of src/cli/evolve.ts). */
  archive: string;
  /** The tree runs improve and promotions apply to. */
  source: string;
  /** The `dialogos` command as argv (e.g. [node, /dialogos/bin/dialogos.mjs]). */
  cli: string[];
  /** How candidates run (default sandbox). */
  runner?: 'sandbox' | 'local';
  /** Extra arguments for `evolve promote` (e.g. ["--store", DIR]). */
  promoteArgs?: string[];
  /** The environment of the runs it starts (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** How long start waits for the run to be recorded (default 120 s: a test target runs its tests first). */
  startWaitMs?: number;
  /** How long stop waits for the process to end after SIGTERM before SIGKILL (default 30 s). */
  stopWaitMs?: number;
}

/** Quotes an argument for display the way a shell would take it. */
const q = (v: string): string => (/^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The live process that holds the archive's lock (an evolve run), or null. */
function lockHolder(dir: string): number | null {
  try {
    const h = JSON.parse(readFileSync(join(dir, 'lock'), 'utf8')) as { pid?: number; host?: string };
    return h.pid && h.host === hostname() && alive(h.pid) ? h.pid : null;
  } catch {
    return null;
  }
}

/**
 * Checks a target spec against the source tree and the benchmarks, as `evolve run` would take it.
 * @throws UnknownEvolveTargetError naming the spec and what is wrong with it
 */
export function checkTarget(spec: string, source: string): void {
  const fail = (why: string) => new UnknownEvolveTargetError(`Cannot start an evolve run on target "${spec}": ${why}`);
  if (spec === 'failing') return;
  const bench = /^bench:(.*)$/.exec(spec);
  if (bench) {
    const names = speed.projectBenchmarks().names();
    if (!names.includes(bench[1]!)) throw fail(`there is no benchmark "${bench[1]}" (the benchmarks are ${names.join(', ')})`);
    return;
  }
  const t = /^test:([^#]*)(?:#(.+))?$/.exec(spec);
  if (!t) throw fail('expected test:src/x/y.test.ts[#name], failing or bench:NAME');
  const file = t[1]!;
  if (!/^src\/[\w@./-]+\.test\.ts$/.test(file) || file.split('/').includes('..')) throw fail(`"${file}" is not a test file under src/ (src/x/y.test.ts)`);
  if (!existsSync(join(source, file))) throw fail(`there is no test file "${file}" in ${source}`);
}

/** EvolveTools over the archive in `o.archive` and the `dialogos evolve` command. */
export function dialogEvolveTools(o: DialogEvolveInit): EvolveTools {
  const read = (): Archive => openArchive(o.archive, { readOnly: true });
  const archiveArgs = ['--archive', o.archive];
  const startArgv = (target: string, budget: string) => [...o.cli, 'evolve', 'run', '--target', target, '--budget', budget, ...archiveArgs,
    '--source', o.source, ...(o.runner && o.runner !== 'sandbox' ? ['--runner', o.runner] : [])];
  const promoteArgv = (id: string, tries: number) => [...o.cli, 'evolve', 'promote', id, '--tries', String(tries), ...archiveArgs, '--source', o.source, ...(o.promoteArgs ?? [])];
  const shown = (argv: string[]) => ['dialogos', ...argv.slice(o.cli.length)].map(q).join(' ');

  /** The run `prefix` names (it must be a run). @throws ArchiveNotFoundError, WrongRecordKindError */
  const runOf = (a: Archive, prefix: string): RunRecord => {
    const r = a.resolve(prefix);
    if (r.kind !== 'run') throw new WrongRecordKindError(`Cannot use "${prefix}" as a run: it is candidate "${r.id}"`);
    return a.getRun(r.id);
  };
  const candidateOf = (a: Archive, prefix: string): CandidateRecord => {
    const r = a.resolve(prefix);
    if (r.kind !== 'candidate') throw new WrongRecordKindError(`Cannot use "${prefix}" as a candidate: it is run "${r.id}"`);
    return a.getCandidate(r.id);
  };
  /** The run a live process writes: the newest one still marked running while the lock's holder lives. */
  const live = (a: Archive): { run: RunRecord; pid: number } | null => {
    const pid = lockHolder(o.archive);
    const run = pid ? a.runs().filter((r) => r.status === 'running').at(-1) : undefined;
    return pid && run ? { run, pid } : null;
  };

  const planStart = (target: string, budget: string): PlannedCall => {
    const b = parseBudget(budget);
    checkTarget(target, o.source);
    const busy = live(read());
    if (busy) throw new OsToolError(`Cannot start an evolve run on "${target}": run ${busy.run.id} (process ${busy.pid}) is still running in archive "${o.archive}"; stop it first (stop the run)`);
    const limits = [b.evaluations === null ? null : `${b.evaluations} evaluations`, b.minutes === null ? null : `${b.minutes} minutes`].filter(Boolean).join(' and ');
    return { what: `start a self-improvement run on "${target}" with a budget of ${limits} (in the background)`, call: shown(startArgv(target, budget)) };
  };
  const planStop = (id?: string): PlannedCall => {
    const a = read();
    const l = live(a);
    if (id) {
      const run = runOf(a, id);
      if (!l || l.run.id !== run.id) throw new NoEvolveRunError(`Cannot stop run "${run.id}": no process is running it (its status is ${run.status}${run.reason ? `: ${run.reason}` : ''})`);
    }
    if (!l) throw new NoEvolveRunError(`Cannot stop the evolve run: no process is running one in archive "${o.archive}"`);
    return { what: `stop self-improvement run ${l.run.id} (process ${l.pid}; it stays resumable)`, call: `kill -TERM ${l.pid}  (the dialogos evolve run writing ${l.run.id})` };
  };
  const planPromote = (id: string, tries: number): PlannedCall => {
    const c = candidateOf(read(), id);
    if (c.decision !== 'accepted') throw new NotPromotableError(`Cannot promote candidate "${c.id}": it was ${c.decision} (${c.reason}); only accepted candidates become generations`);
    return { what: `build candidate ${c.id} into a new signed generation staged with ${tries} boot tries`, call: shown(promoteArgv(c.id, tries)) };
  };

  return {
    describe(op) {
      if (op.kind === 'start') return planStart(op.target, op.budget);
      if (op.kind === 'stop') return planStop(op.run);
      return planPromote(op.candidate, op.tries);
    },
    start: (target, budget, onLine) => startRun(o, startArgv(target, budget), target, onLine),
    async stop(id) {
      planStop(id);
      const l = live(read())!;
      process.kill(l.pid, 'SIGTERM');
      const ended = await waitUntil(() => !alive(l.pid), o.stopWaitMs ?? 30_000);
      if (!ended) {
        process.kill(l.pid, 'SIGKILL');
        if (!(await waitUntil(() => !alive(l.pid), 5_000))) throw new OsToolError(`Cannot stop run ${l.run.id}: process ${l.pid} is still alive after SIGKILL`);
      }
      const run = read().getRun(l.run.id);
      return `Stopped run ${run.id}: process ${l.pid} has ended${ended ? '' : ' (SIGKILL after SIGTERM was not enough)'} after ${run.counts.evaluated} evaluations, `
        + `${run.counts.accepted} accepted. The archive keeps every recorded candidate; resume with: dialogos evolve run --resume ${run.id}`;
    },
    async promote(id, tries, onLine) {
      const argv = promoteArgv(candidateOf(read(), id).id, tries);
      const r = await runLines(argv, o.source, onLine);
      if (r.code !== 0) throw new OsToolError(`Cannot promote "${id}": ${shown(argv)} exited ${r.code}: ${r.tail.slice(-3).join(' ').trim()}`);
      // The build logs its steps first; what the person asked about is the last line, the promotion's result.
      return r.tail.filter((l) => l.startsWith('promoted ')).at(-1) ?? r.tail.join('\n').trim();
    },
    runs: async () => read().runs(),
    async run(id) {
      const a = read();
      const run = id ? runOf(a, id) : a.runs().at(-1);
      if (!run) throw new NoEvolveRunError(`The evolve archive "${o.archive}" has no run yet; start one with: fix the failing test src/x/y.test.ts`);
      const l = live(a);
      return { run, holder: l && l.run.id === run.id ? l.pid : null, progress: progressLine(run) };
    },
    async candidates(qy) {
      const a = read();
      const run = qy.run ? runOf(a, qy.run).id : undefined;
      return a.candidates(run).filter((e) => !qy.accepted || e.decision === 'accepted').map((e) => a.getCandidate(e.id));
    },
    candidate: async (id) => candidateOf(read(), id),
  };
}

async function waitUntil(done: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) if (done()) return true;
  return done();
}

/**
 * Starts `argv` (an `evolve run`) detached, its output in <archive>/logs, and waits until the archive records
 * its run, the process exits, or the wait is over.
 * @throws OsToolError when the process exits before recording a run (a target whose tests pass, a locked archive)
 */
async function startRun(o: DialogEvolveInit, argv: string[], target: string, onLine: (l: string) => void): Promise<string> {
  const before = new Set(openArchive(o.archive, { readOnly: true }).runs().map((r) => r.id));
  mkdirSync(join(o.archive, 'logs'), { recursive: true });
  const log = join(o.archive, 'logs', `run-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
  const fd = openSync(log, 'a');
  const child = spawn(argv[0]!, argv.slice(1), { cwd: o.source, detached: true, stdio: ['ignore', fd, fd], env: o.env ?? process.env });
  closeSync(fd);
  let exit: number | null = null;
  child.on('exit', (code, signal) => { exit = code ?? (signal ? 128 : 1); });
  child.on('error', () => { exit = 127; });
  child.unref();
  onLine(`started dialogos evolve run on "${target}" (process ${child.pid}); waiting for its run record`);
  const fresh = (): RunRecord | undefined => openArchive(o.archive, { readOnly: true }).runs().find((r) => !before.has(r.id));
  await waitUntil(() => exit !== null || fresh() !== undefined, o.startWaitMs ?? 120_000);
  const run = fresh();
  if (run) return `Started run ${run.id} on "${target}" (process ${child.pid}; its output goes to ${log}).\n${progressLine(run)}`;
  if (exit !== null) {
    const tail = readFileSync(log, 'utf8').trim().split('\n').slice(-3).join(' ');
    throw new OsToolError(`Cannot start an evolve run on "${target}": dialogos evolve run exited ${exit} before recording a run: ${tail}`);
  }
  return `Started dialogos evolve run on "${target}" as process ${child.pid}; it is still preparing (a test target runs its tests first) and has not recorded a run yet. `
    + `Its output goes to ${log}; ask "how is the evolve run going" in a while.`;
}
