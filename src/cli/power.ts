// dialogos reboot | poweroff: ask PID 1 to reboot or power off, refunding the try of a generation whose
// health window is still running (a clean reboot inside the window is not a failure).
//
// SYNOPSIS
//   dialogos reboot [--json] [--state DIR] [--data DIR] [--run DIR]
//   dialogos poweroff [--json] [--state DIR] [--data DIR] [--run DIR]
// DESCRIPTION
//   When dialogosd answers on its socket (/run/dialogos/api.sock, or DIR/run/api.sock for --state DIR or
//   $DIALOGOS_STATE) the request is an API call (POST /v1/power): dialogosd refunds a running trial and
//   asks PID 1, which stops dialogosd (services in reverse order, journal closed), syncs and reboots. A
//   host instance records the request in DIR/run/power-request; poweroff also stops it.
//   Without a daemon, PID 1 is signalled directly (SIGTERM reboot, SIGUSR2 poweroff); this refuses to run
//   outside Dialogos (no handover), so it never signals a host's init. With --data/--run (issue 2's host
//   mode) the request is written to RUN/power-request instead.
// EXIT STATUS
//   0 requested, 1 failed, 2 usage, 4 --state given but that instance's dialogosd does not answer
import type { Command } from 'commander';
import { apiCall, type PowerBody } from '../core/api/index.js';
import {
  dataPaths, pid1Power, readHandover, recordingPower, requestPower, resolveInstance, type GenBindings, type PowerAction,
} from '../core/index.js';
import { act, EXIT_TABLE, INSTANCE_HELP, usageExit2 } from './api-common.js';
import type { BindingsProvider } from './daemon.js';

export interface PowerIo {
  out(text: string): void;
  err?(text: string): void;
  env: NodeJS.ProcessEnv;
  kill?: (pid: number, sig: NodeJS.Signals) => void;
}

interface PowerOpts { json: boolean; data?: string; run?: string; state?: string }

/** Through the API; null when no dialogosd answers (and none was named with --state). */
async function viaApi(action: PowerAction, opts: PowerOpts, io: PowerIo): Promise<number | null> {
  const socketPath = resolveInstance(opts.state, io.env).socket;
  let r: PowerBody;
  try {
    r = await apiCall<PowerBody>({ socketPath, timeoutMs: 60_000 }, 'POST', '/v1/power', { action });
  } catch (err) {
    const code = ((err as Error).cause as NodeJS.ErrnoException | undefined)?.code;
    // The request reached dialogosd, which went down answering it (PID 1 stops it at once): done.
    if ((err as Error).name === 'DaemonUnreachableError' && (code === 'ECONNRESET' || code === 'EPIPE')) {
      io.out(opts.json ? JSON.stringify({ action, generation: null, refunded: null }) : `dialogos: ${action} requested`);
      return 0;
    }
    if ((err as Error).name === 'DaemonUnreachableError' && !(opts.state ?? io.env.DIALOGOS_STATE)) return null;
    throw err;
  }
  if (opts.json) io.out(JSON.stringify(r));
  else {
    if (r.refunded) io.out(`dialogos: try of generation ${r.generation} refunded (${action} inside the health window)`);
    io.out(`dialogos: ${action} requested`);
  }
  return 0;
}

/** The command's logic: returns the exit code. */
export async function runPower(action: PowerAction, opts: PowerOpts, bindings: GenBindings | null, io: PowerIo): Promise<number> {
  const hostMode = opts.run !== undefined || opts.data !== undefined;
  if (!hostMode) {
    const code = await viaApi(action, opts, io);
    if (code !== null) return code;
  }
  const runDir = opts.run ?? '/run/dialogos';
  const handover = await readHandover(runDir, io.env);
  const store = bindings ? await bindings.openStore(dataPaths(opts.data ?? '/data').storeRoot) : null;
  const say = (line: string): void => { if (!opts.json) io.out(line); };
  const power = hostMode ? recordingPower(runDir, say) : pid1Power(io.kill);
  const r = await requestPower(action, { store, generation: handover.generation, power });
  if (opts.json) {
    io.out(JSON.stringify({ action, generation: handover.generation, refunded: r.refunded, refundError: r.refundError }));
  } else {
    if (r.refunded) io.out(`dialogos: try of generation ${handover.generation} refunded (${action} inside the health window)`);
    if (r.refundError) io.out(`dialogos: warning: cannot refund the try: ${r.refundError}`);
    io.out(`dialogos: ${action} requested`);
  }
  return 0;
}

export function registerPower(program: Command, bindings: BindingsProvider | null = null): void {
  for (const action of ['reboot', 'poweroff'] as const) {
    const c = usageExit2(program
      .command(action)
      .description(`${action} through dialogosd (or PID 1), refunding a running trial`)
      .option('--json', 'print the result as JSON')
      .option('--state <dir>', 'a host instance (env DIALOGOS_STATE)')
      .option('--data <dir>', 'data partition (issue 2 host mode when given)')
      .option('--run <dir>', 'runtime dir with handover.json (issue 2 host mode when given)'));
    c.addHelpText('after', `
DESCRIPTION
  Asks dialogosd (POST /v1/power) when it answers; otherwise signals PID 1 directly (inside Dialogos
  only). A clean ${action} inside a generation's health window refunds its try.

${INSTANCE_HELP}

EXAMPLES
  dialogos ${action}
  dialogos ${action} --state /tmp/node1 --json

${EXIT_TABLE}`);
    c.action((opts: { json?: boolean; data?: string; run?: string; state?: string }) => {
      const o = { ...opts, json: opts.json === true };
      const io: PowerIo = { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(t), env: process.env };
      return act({ out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), env: process.env }, action, o,
        async () => runPower(action, o, bindings ? await bindings() : null, io));
    });
  }
}
