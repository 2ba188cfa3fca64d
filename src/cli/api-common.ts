// What every API-backed command shares: finding the instance (--state DIR or $DIALOGOS_STATE, else the
// machine's /run/dialogos/api.sock), exit codes, and turning errors into words and codes.
import { CommanderError, type Command } from 'commander';
import type { ClientOptions } from '../core/api/index.js';
import { resolveInstance } from '../core/index.js';

/** Exit codes of the API-backed commands (status, svc, logs, host, reboot, poweroff). */
export const EXIT = { ok: 0, failed: 1, usage: 2, notFound: 3, unreachable: 4 } as const;

export const EXIT_TABLE = `EXIT STATUS
  0  ok
  1  the operation failed (a unit failed to start, a spec was refused, the API answered an error)
  2  usage error (unknown option, bad value)
  3  not found (unknown unit or generation)
  4  dialogosd is not running or does not answer on its socket`;

export const INSTANCE_HELP = `INSTANCE
  Commands talk to dialogosd over its unix socket: <DIR>/run/api.sock for --state DIR or
  $DIALOGOS_STATE (a host instance), else /run/dialogos/api.sock (the machine).`;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Bytes as they are (`logs --raw`); where absent, they are written as UTF-8 text. */
  bytes?(data: Uint8Array): void;
  env: NodeJS.ProcessEnv;
}

export const processIo: CliIo = {
  out: (t) => process.stdout.write(t),
  bytes: (b) => process.stdout.write(b),
  err: (t) => process.stderr.write(t),
  env: process.env,
};

export interface InstanceOpts { state?: string; json?: boolean }

export function clientOf(opts: InstanceOpts, env: NodeJS.ProcessEnv): ClientOptions {
  return { socketPath: resolveInstance(opts.state, env).socket, timeoutMs: 120_000 };
}

/** --state and --json on a command. */
export const withInstance = (c: Command): Command =>
  c.option('--state <dir>', 'the host instance to talk to (env DIALOGOS_STATE; default: this machine)').option('--json', 'print JSON');

/** Usage errors exit 2 (commander's default is 1, which means "failed" here). */
export function usageExit2(c: Command): Command {
  return c.exitOverride((err) => {
    throw new CommanderError(err.exitCode === 0 ? 0 : EXIT.usage, err.code, err.message);
  });
}

/** The exit code of an error: 4 unreachable, 3 not found, 2 bad arguments, 1 anything else. */
export function exitCodeOf(err: unknown): number {
  const e = err as { name?: string; status?: number; remoteName?: string };
  if (e.name === 'DaemonUnreachableError') return EXIT.unreachable;
  if (e.name === 'ApiResponseError') {
    if (e.status === 404) return EXIT.notFound;
    if (e.remoteName === 'BadRequestError') return EXIT.usage;
  }
  if (e.name === 'UsageError') return EXIT.usage;
  return EXIT.failed;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

/** Prints an error (as JSON too with --json) and returns its exit code. */
export function fail(io: CliIo, cmd: string, opts: InstanceOpts, err: unknown): number {
  const e = err as Error & { remoteName?: string; details?: unknown };
  const name = e.remoteName ?? e.name;
  if (opts.json) io.out(`${JSON.stringify({ error: { name, message: e.message, ...(e.details ? { issues: e.details } : {}) } })}\n`);
  io.err(`dialogos ${cmd}: ${e.message}\n`);
  const issues = e.details;
  if (!opts.json && Array.isArray(issues) && issues.length > 5) {
    for (const i of issues as { file?: string; unit?: string; path: string; message: string }[]) {
      io.err(`  ${[i.file, i.unit, i.path].filter(Boolean).join(': ')}: ${i.message}\n`);
    }
  }
  return exitCodeOf(err);
}

/** Runs a command body with the shared error handling; sets process.exitCode. */
export async function act(io: CliIo, cmd: string, opts: InstanceOpts, body: () => Promise<number>): Promise<void> {
  // `dialogos logs | head`: a closed stdout ends the command quietly instead of crashing it.
  process.stdout.once('error', (err: NodeJS.ErrnoException) => { if (err.code === 'EPIPE') process.exit(EXIT.ok); });
  try {
    process.exitCode = await body();
  } catch (err) {
    process.exitCode = fail(io, cmd, opts, err);
  }
}

export const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;
