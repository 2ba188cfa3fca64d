// NAME
//   dialogos status - the machine, its generation and every unit, as dialogosd sees them
//
// SYNOPSIS
//   dialogos status [--json] [--state DIR]
//
// DESCRIPTION
//   One API call (GET /v1/status). Prints the instance (machine or host instance), dialogosd's phase
//   and why, the booted generation and its outcome, the cgroup mode, and one line per unit: state,
//   pid, restarts and the reason for the state.
//
// EXIT STATUS
//   0 running and no unit failed, 1 degraded (phase failed, or a unit failed or in a crash loop),
//   2 usage error, 4 dialogosd not running or not answering
import type { Command } from 'commander';
import { apiCall, type StatusBody, type UnitStatusBody } from '../core/api/index.js';
import { act, clientOf, EXIT, EXIT_TABLE, INSTANCE_HELP, json, processIo, usageExit2, withInstance, type CliIo, type InstanceOpts } from './api-common.js';

const pad = (s: string, n: number): string => (s.length >= n ? `${s} ` : s.padEnd(n));

/** A table of units: NAME STATE PID RESTARTS REASON. */
export function unitTable(units: UnitStatusBody[]): string {
  const w = Math.max(8, ...units.map((u) => u.name.length + 2));
  const head = `${pad('UNIT', w)}${pad('STATE', 12)}${pad('PID', 8)}${pad('RESTARTS', 10)}REASON\n`;
  const row = (u: UnitStatusBody): string =>
    `${pad(u.kind === 'service' ? u.name : `${u.kind}:${u.name}`, w)}${pad(u.state, 12)}${pad(u.pid === null ? '-' : String(u.pid), 8)}${pad(String(u.restarts), 10)}${u.reason}`;
  return head + units.map(row).join('\n') + (units.length ? '\n' : '');
}

export const degraded = (s: StatusBody): boolean => s.phase === 'failed' || s.services.some((u) => u.state === 'failed' || u.state === 'crash-loop');

export async function runStatus(opts: InstanceOpts, io: CliIo): Promise<number> {
  const s = await apiCall<StatusBody>(clientOf(opts, io.env), 'GET', '/v1/status');
  if (opts.json) io.out(json(s));
  else {
    const m = s.machine;
    io.out(`${m.mode === 'host' ? `host instance ${m.instance} (${m.state})` : `machine ${m.hostname}`}: ${s.phase} (${s.reason})\n`);
    io.out(`  dialogosd pid ${m.pid}, up ${Math.round(m.uptimeMs / 1000)} s; API ${m.api.socket}${m.api.tcp ? ` and tcp ${m.api.tcp}` : ''}\n  cgroups: ${m.cgroups}\n`);
    io.out(`  generation: ${s.generation ? `${s.generation.id}${s.generation.trial ? ' (trial)' : ''}: ${s.generation.outcome}` : 'none'}\n`);
    if (s.journal) io.out(`  journal: ${s.journal.dir} (${s.journal.lastSeq} entries, ${Math.round(s.journal.storedBytes / 1024)} KiB)\n`);
    io.out(`\n${s.services.length ? unitTable(s.services) : 'no units\n'}`);
  }
  return degraded(s) ? EXIT.failed : EXIT.ok;
}

export function registerStatus(program: Command, io: CliIo = processIo): void {
  const c = withInstance(program.command('status').description('show the machine, its generation and every unit'));
  usageExit2(c);
  c.addHelpText('after', `
DESCRIPTION
  Asks dialogosd (GET /v1/status) for its phase and the reason for it, the booted generation, the
  cgroup mode and the status of every unit, each with the reason for its state.

${INSTANCE_HELP}

EXAMPLES
  dialogos status
  dialogos status --state /tmp/node1 --json | jq '.services[] | select(.state != "running")'

${EXIT_TABLE}
  status: 1 also means degraded (phase failed, or a unit failed or in a crash loop)`);
  c.action((opts: InstanceOpts) => act(io, 'status', opts, () => runStatus(opts, io)));
}
