// NAME
//   dialogos svc - list, inspect, start, stop and reconfigure services
//
// SYNOPSIS
//   dialogos svc ls [--json] [--state DIR]
//   dialogos svc show NAME [--json] [--state DIR]
//   dialogos svc start|stop|restart NAME [--no-wait] [--timeout MS] [--json] [--state DIR]
//   dialogos svc enable|disable NAME [--no-wait] [--timeout MS] [--json] [--state DIR]
//   dialogos svc apply FILE [--dry-run] [--prune] [--json] [--state DIR]
//   dialogos svc rm KIND/NAME|NAME [--dry-run] [--json] [--state DIR]
//
// DESCRIPTION
//   Every verb is one API call. start/stop/restart/enable/disable wait (up to --timeout, default 30000
//   ms) until the unit settles and fail when it ends failed or in a crash loop. enable/disable persist as
//   an override file in the machine's spec directory. apply sends FILE (one spec or an array) to
//   dialogosd, which replaces specs of the same kind and name (or adds them), validates the whole set and
//   only then writes it and reconciles; a refused set changes nothing and every problem is printed.
//   apply --prune also removes the machine's specs that FILE does not name. rm removes one machine spec
//   and stops its unit; it refuses generation defaults (use disable) and units others require.
//
// EXIT STATUS
//   0 ok, 1 failed (unit failed/crash loop/not settled in time, spec refused, rm refused), 2 usage, 3 unknown unit,
//   4 dialogosd not running or not answering
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError, type Command } from 'commander';
import { apiCall, type ActionBody, type ApplyBody, type UnitStatusBody } from '../core/api/index.js';
import { act, clientOf, EXIT, UsageError, EXIT_TABLE, INSTANCE_HELP, json, processIo, usageExit2, withInstance, type CliIo, type InstanceOpts } from './api-common.js';
import { unitTable } from './status.js';

interface ActionOpts extends InstanceOpts { wait: boolean; timeout?: number }

const ms = (v: string): number => {
  if (!/^\d{1,9}$/.test(v)) throw new InvalidArgumentError(`expected milliseconds, got "${v}"`);
  return Number(v);
};
const enc = encodeURIComponent;

function describeUnit(u: UnitStatusBody): string {
  const lines = [`${u.name}: ${u.state} (${u.reason})`, `  enabled: ${u.enabled}   pid: ${u.pid ?? '-'}   since: ${u.since}   restarts: ${u.restarts}`];
  if (u.lastExit) {
    const oom = u.lastExit.oom ? ' (out of memory: killed by the OOM killer at its memory limit)' : '';
    lines.push(`  last exit: ${u.lastExit.signal ? `signal ${u.lastExit.signal}` : `code ${u.lastExit.code}`}${oom} at ${u.lastExit.at}`);
  }
  if (u.limits) {
    lines.push(`  limits (${u.limits.mode}): ${JSON.stringify(u.limits.applied)}`);
    for (const x of u.limits.unsupported) lines.push(`  not applied: ${x.limit}: ${x.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function runSvcAction(action: string, name: string, opts: ActionOpts, io: CliIo): Promise<number> {
  const r = await apiCall<ActionBody>(clientOf(opts, io.env), 'POST', `/v1/units/${enc(name)}/${action}`, { wait: opts.wait, timeoutMs: opts.timeout ?? 30_000 });
  if (opts.json) io.out(json(r));
  else io.out(`${name}: ${r.status.state} (${r.status.reason})${opts.wait && !r.settled ? ' - not settled yet' : ''}\n`);
  const bad = r.status.state === 'failed' || r.status.state === 'crash-loop' || (opts.wait && !r.settled);
  return bad ? EXIT.failed : EXIT.ok;
}

function printChange(r: ApplyBody, opts: InstanceOpts, io: CliIo): void {
  if (opts.json) {
    io.out(json(r));
    return;
  }
  const list = (xs: string[]) => xs.join(', ') || 'none';
  io.out(`${r.dryRun ? 'would apply' : 'applied'}: added ${list(r.added)}; changed ${list(r.changed)}; removed ${list(r.removed)}; unchanged ${list(r.unchanged)}\n`);
  if (r.files.length) io.out(`files: ${r.files.join(', ')}\n`);
}

/** `KIND/NAME`, or a bare NAME for a service. @throws UsageError */
export function parseSpecRef(ref: string): { kind: string; name: string } {
  const m = /^(?:([a-z]+)\/)?([A-Za-z0-9@._:-]{1,128})$/.exec(ref);
  if (!m) throw new UsageError(`Cannot remove "${ref}": expected KIND/NAME or a service NAME (e.g. service/web, mount/data)`);
  return { kind: m[1] ?? 'service', name: m[2]! };
}

export async function runSvcRm(ref: string, opts: InstanceOpts & { dryRun?: boolean }, io: CliIo): Promise<number> {
  const { kind, name } = parseSpecRef(ref);
  const r = await apiCall<ApplyBody>(clientOf(opts, io.env), 'DELETE', `/v1/specs/${enc(kind)}/${enc(name)}${opts.dryRun ? '?dryRun=true' : ''}`);
  printChange(r, opts, io);
  return EXIT.ok;
}

export async function runSvcApply(file: string, opts: InstanceOpts & { dryRun?: boolean; prune?: boolean }, io: CliIo): Promise<number> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`Cannot read spec file "${file}": ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  const specs = Array.isArray(value) ? value : [value];
  const r = await apiCall<ApplyBody>(clientOf(opts, io.env), 'POST', '/v1/apply', { specs, dryRun: opts.dryRun === true, prune: opts.prune === true });
  printChange(r, opts, io);
  return EXIT.ok;
}

const HELP = `
DESCRIPTION
  ls lists every unit with its state and the reason for it; show prints one unit's status and applied
  spec. start, stop, restart, enable and disable act on a service and wait until it settles (--no-wait
  returns at once); stop also stops what depends on it, first. enable and disable persist in the
  machine's spec directory (<kind>-<name>.override.json) and survive generation switches.
  apply FILE sends one spec or an array of specs: each replaces the spec of the same kind and name in the
  machine's spec directory or is added to it; the whole set (generation defaults + machine specs) is
  validated before anything is written or restarted. A refused set changes nothing; every problem is
  printed with its file, unit and field. Only services whose spec changed are restarted.
  apply --prune FILE makes FILE the whole of the machine's specs: machine specs it does not name are
  removed too (generation defaults stay; a removed machine patch over a default brings the default back).
  rm KIND/NAME (or rm NAME for a service) removes one machine spec and stops and forgets its unit. It
  refuses a generation default (use disable) and a unit that other services require or are ordered
  after (it names them); rm of a spec that does not exist exits 3.

SPEC (a service; see src/core/README.md for every field)
  {"kind":"service","name":"web","command":"/usr/bin/node","args":["server.js"],
   "requires":["db"],"restart":{"policy":"always"},"limits":{"memoryBytes":268435456}}

${INSTANCE_HELP}

EXAMPLES
  dialogos svc ls
  dialogos svc apply web.json --dry-run
  dialogos svc restart web --timeout 60000
  dialogos svc rm web
  dialogos svc rm mount/scratch --dry-run
  dialogos svc show web --json

${EXIT_TABLE}`;

export function registerSvc(program: Command, io: CliIo = processIo): void {
  const svc = usageExit2(program.command('svc').description('list, inspect, start, stop and reconfigure services'));
  svc.addHelpText('after', HELP);
  const verb = (spec: string, description: string): Command => {
    const c = usageExit2(withInstance(svc.command(spec).description(description)));
    c.addHelpText('after', `\n${EXIT_TABLE}`);
    return c;
  };
  verb('ls', 'list every unit').action((opts: InstanceOpts) => act(io, 'svc ls', opts, async () => {
    const r = await apiCall<{ units: UnitStatusBody[] }>(clientOf(opts, io.env), 'GET', '/v1/units');
    io.out(opts.json ? json(r) : r.units.length ? unitTable(r.units) : 'no units\n');
    return EXIT.ok;
  }));
  verb('show <name>', 'one unit: status, limits and applied spec').action((name: string, opts: InstanceOpts) => act(io, 'svc show', opts, async () => {
    const r = await apiCall<{ status: UnitStatusBody; spec: unknown }>(clientOf(opts, io.env), 'GET', `/v1/units/${enc(name)}`);
    io.out(opts.json ? json(r) : `${describeUnit(r.status)}  spec: ${JSON.stringify(r.spec)}\n`);
    return EXIT.ok;
  }));
  for (const action of ['start', 'stop', 'restart', 'enable', 'disable'] as const) {
    verb(`${action} <name>`, `${action} a service and wait until it settles`)
      .option('--no-wait', 'return without waiting for the unit to settle')
      .option('--timeout <ms>', 'how long to wait (default 30000)', ms)
      .action((name: string, opts: ActionOpts) => act(io, `svc ${action}`, opts, () => runSvcAction(action, name, opts, io)));
  }
  verb('apply <file>', 'add or replace specs from FILE (validated as a whole set first)')
    .option('--dry-run', 'validate and show what would change, change nothing')
    .option('--prune', 'also remove the machine specs FILE does not name')
    .action((file: string, opts: InstanceOpts & { dryRun?: boolean; prune?: boolean }) => act(io, 'svc apply', opts, () => runSvcApply(file, opts, io)));
  verb('rm <ref>', 'remove a machine spec (KIND/NAME, or NAME of a service) and stop its unit')
    .option('--dry-run', 'validate and show what would change, change nothing')
    .action((ref: string, opts: InstanceOpts & { dryRun?: boolean }) => act(io, 'svc rm', opts, () => runSvcRm(ref, opts, io)));
}
