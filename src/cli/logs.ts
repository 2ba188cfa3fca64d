// NAME
//   dialogos logs - read and follow the journal
//
// SYNOPSIS
//   dialogos logs [-f] [--unit U]... [--since T] [--until T] [--level L] [--grep TEXT] [-n N]
//                 [--raw] [--stream stdout|stderr] [--json] [--state DIR]
//
// DESCRIPTION
//   Without -f: the newest N (default 100; all with --since) matching entries, oldest first
//   (GET /v1/journal). With -f: the newest N matching entries (default 10; with --since every one
//   since then, up to 100000), then every new matching entry as it is written, until interrupted or,
//   with --until, until that time has passed (GET /v1/events, server-sent events). --json prints one
//   entry per line.
//
// EXIT STATUS
//   0 ok, 1 failed, 2 usage (bad level or time), 4 dialogosd not running or not answering
import { InvalidArgumentError, type Command } from 'commander';
import { apiCall, apiEvents, type JournalEntryBody } from '../core/api/index.js';
import { entryBytes } from '../core/journal/index.js';
import { act, clientOf, EXIT, EXIT_TABLE, INSTANCE_HELP, processIo, usageExit2, withInstance, type CliIo, type InstanceOpts } from './api-common.js';

export interface LogsOpts extends InstanceOpts {
  follow?: boolean;
  unit: string[];
  since?: string;
  until?: string;
  level?: string;
  grep?: string;
  lines?: number;
  raw?: boolean;
  stream?: 'stdout' | 'stderr';
}

const count = (v: string): number => {
  if (!/^\d{1,6}$/.test(v) || Number(v) > 100_000) throw new InvalidArgumentError(`expected a number of entries from 0 to 100000, got "${v}"`);
  return Number(v);
};

/** `2026-11-26T14:03:01.123Z web[warn]: message  key=value` */
export function formatEntry(e: JournalEntryBody): string {
  const f = Object.entries(e.fields).filter(([k]) => k !== 'stream' && k !== 'raw_base64').map(([k, v]) => `${k}=${v.length > 60 ? `${v.slice(0, 57)}...` : v}`);
  return `${e.time} ${e.unit}[${e.level}]: ${e.message}${f.length ? `  ${f.join(' ')}` : ''}\n`;
}

export async function runLogs(opts: LogsOpts, io: CliIo, signal?: AbortSignal): Promise<number> {
  const client = clientOf(opts, io.env);
  const q = new URLSearchParams();
  if (opts.unit.length) q.set('unit', opts.unit.join(','));
  if (opts.level) q.set('level', opts.level);
  if (opts.grep) q.set('grep', opts.grep);
  const print = (e: JournalEntryBody): void => {
    if (opts.stream && e.fields.stream !== opts.stream) return;
    if (!opts.raw) io.out(opts.json ? `${JSON.stringify(e)}\n` : formatEntry(e));
    // The exact bytes the service wrote; entries that are not service output have none.
    else if (e.fields.stream) (io.bytes ?? ((b: Uint8Array) => io.out(Buffer.from(b).toString('utf8'))))(entryBytes(e));
  };
  if (opts.follow) {
    q.set('streams', 'journal');
    if (opts.since) q.set('since', opts.since);
    if (opts.until) q.set('until', opts.until);
    q.set('backlog', String(opts.lines ?? (opts.since ? 100_000 : 10)));
    let failure: Error | null = null;
    await apiEvents({ socketPath: client.socketPath }, `/v1/events?${q}`, (event, data) => {
      if (event === 'journal') print(data as JournalEntryBody);
      else if (event === 'error') failure = new Error(`journal follow ended: ${(data as { message: string }).message}`);
    }, signal);
    if (failure) throw failure;
    return EXIT.ok;
  }
  if (opts.since) q.set('since', opts.since);
  if (opts.until) q.set('until', opts.until);
  q.set('order', 'desc');
  q.set('limit', String(opts.lines ?? (opts.since ? 100_000 : 100)));
  const r = await apiCall<{ entries: JournalEntryBody[] }>(client, 'GET', `/v1/journal?${q}`);
  for (const e of r.entries.reverse()) print(e);
  return EXIT.ok;
}

export function registerLogs(program: Command, io: CliIo = processIo): void {
  const c = usageExit2(withInstance(program.command('logs').description('read and follow the journal')))
    .option('-f, --follow', 'keep printing new entries as they are written (until --until, if given)')
    .option('-u, --unit <unit>', 'only this unit (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--since <time>', 'from this time: ISO date, epoch ms, or relative (-10m, 1h, 2d)')
    .option('--until <time>', 'up to this time (same forms)')
    .option('-p, --level <level>', 'this level and above: debug info notice warn error crit')
    .option('-g, --grep <text>', 'case-insensitive text in the message or a field')
    .option('-n, --lines <n>', 'the newest N entries (default 100; with -f 10)', count)
    .option('--raw', 'print only service output, as the exact bytes the services wrote')
    .option('--stream <stream>', 'only service output on this stream: stdout or stderr', (v: string) => {
      if (v !== 'stdout' && v !== 'stderr') throw new InvalidArgumentError(`expected stdout or stderr, got "${v}"`);
      return v;
    });
  c.addHelpText('after', `
DESCRIPTION
  The journal holds dialogosd's own messages (unit "dialogosd"), every status change of every unit
  (with its reason, field event=status) and each service's stdout and stderr, line by line (field
  stream), byte-exact: a line longer than 16 KiB comes in pieces (part=1,2,..., continues=true on all
  but the last), output that is not UTF-8 is kept in raw_base64 (invalid_utf8=true), a <N> syslog
  prefix sets the level (priority=N), a CR before the newline is cr=true and a last line without one
  no_newline=true. Concatenating a stream's entries (entryBytes in src/core/journal) gives back its
  exact bytes. Entries are kept on /data (host instance: DIR/journal) within a
  64 MiB budget, oldest segments dropped first.

  --raw prints only service output, byte for byte as the service wrote it (binary included), e.g.
  dialogos logs -u web --stream stdout --raw -n 100000 > web.out. -n counts journal entries (one per
  line or 16 KiB piece), so give it room or use --since.

  -f prints the newest N matching entries (default 10; with --since, every entry since then up to
  100000), then each new matching entry as it is written. --unit, --level and --grep filter both;
  with --until it stops (exit 0) once that time has passed, e.g. --until +30s.

${INSTANCE_HELP}

EXAMPLES
  dialogos logs -u web -n 50
  dialogos logs --since -10m --level warn
  dialogos logs -f -u web -u db --json | jq .message
  dialogos logs -f --since -5m --until +1m -p warn
  dialogos logs --grep "out of memory"

${EXIT_TABLE}`);
  c.action((opts: LogsOpts) => act(io, 'logs', opts, () => {
    const ac = new AbortController();
    const stop = (): void => ac.abort();
    process.once('SIGINT', stop);
    return runLogs(opts, io, ac.signal).finally(() => process.off('SIGINT', stop));
  }));
}
