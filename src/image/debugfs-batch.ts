// Running debugfs: one read-only command (`-R`), or a batch of commands in ONE process (`-w -f -`).
// In `-f` mode debugfs echoes each command as "debugfs: <cmd>" on stdout and reports failures on
// stderr, and still exits 0, so a batch's errors are found by reading both streams in order: stdout is
// made unbuffered (stdbuf -o0) and merged with stderr, so each error line follows its command's echo.
import { spawnSync } from 'node:child_process';
import { ImageFsError } from './errors.js';

export interface RunResult {
  stdout: Buffer;
  stderr: Buffer;
  status: number | null;
}

/** Runs a program to completion (argv[0] is the program). Injectable so tests can count debugfs runs. */
export type DebugfsRunner = (argv: readonly string[], input?: string) => RunResult;

export const spawnRunner: DebugfsRunner = (argv, input) => {
  const r = spawnSync(argv[0]!, argv.slice(1), { input: input ?? '', maxBuffer: 1 << 30, env: { ...process.env, LC_ALL: 'C' } });
  if (r.error) throw new ImageFsError(`Cannot run "${argv.join(' ')}": ${r.error.message}`, 'EIO', { cause: r.error });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
};

/** A batch line that debugfs reported an error for. */
export interface BatchFailure {
  /** Index into the batch's commands. */
  index: number;
  command: string;
  message: string;
}

/** Informational stdout lines of the commands we send (not errors). */
const INFO = /^(Allocated inode: \d+|debugfs \d.*)$/;

/**
 * Runs `commands` in one `debugfs [-w] -f -` process and returns the failures, in order; an empty list
 * means every line succeeded.
 * @throws ImageFsError when debugfs cannot run, exits non-zero, or stops before the last command
 */
export function runBatch(run: DebugfsRunner, spec: string, commands: readonly string[], write: boolean): BatchFailure[] {
  if (commands.length === 0) return [];
  const script = `exec stdbuf -o0 debugfs ${write ? '-w ' : ''}-f - "$0" 2>&1`;
  const r = run(['sh', '-c', script, spec], commands.join('\n') + '\n');
  const failures: BatchFailure[] = [];
  let next = 0;
  let current = -1;
  for (const line of r.stdout.toString().split('\n')) {
    if (next < commands.length && line === `debugfs: ${commands[next]}`) {
      current = next++;
      continue;
    }
    if (!line.trim() || INFO.test(line)) continue;
    const last = failures[failures.length - 1];
    // debugfs often reports one failure on two lines (library message, then command message): keep one entry.
    if (last && last.index === current) last.message += ` / ${line.trim()}`;
    else failures.push({ index: current, command: commands[current] ?? '(before the first command)', message: line.trim() });
  }
  if (r.status !== 0 || next < commands.length) {
    const where = next < commands.length ? `; it stopped before "${commands[next]}"` : '';
    const err = r.stderr.toString().trim();
    throw new ImageFsError(`Cannot run a debugfs batch on "${spec}": exit ${r.status}${where}${err ? `: ${err}` : ''}`, 'EIO');
  }
  return failures;
}

/** Runs one read-only command; returns stdout and stderr minus the version banner. */
export function runOne(run: DebugfsRunner, spec: string, command: string): { out: Buffer; err: string } {
  const r = run(['debugfs', '-R', command, spec]);
  const err = r.stderr.toString().split('\n').filter((l) => l && !/^debugfs \d/.test(l)).join('\n');
  if (r.status !== 0 && !err) throw new ImageFsError(`Cannot run debugfs "${command}" on "${spec}": exit ${r.status}`, 'EIO');
  return { out: r.stdout, err };
}

/** Quotes a path for a debugfs command line. */
export function quote(p: string): string {
  if (/["\n\r]/.test(p)) throw new ImageFsError(`Cannot address "${p}" through debugfs: quotes and newlines are not supported`, 'EINVAL');
  return `"${p}"`;
}
