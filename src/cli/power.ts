// dialogos reboot | poweroff: ask PID 1 to reboot or power off, refunding the try of a generation whose
// health window is still running (a clean reboot inside the window is not a failure).
//
// SYNOPSIS
//   dialogos reboot [--json] [--data DIR] [--run DIR]
//   dialogos poweroff [--json] [--data DIR] [--run DIR]
// DESCRIPTION
//   PID 1 (native/init.c) reboots on SIGTERM and powers off on SIGUSR2. Refuses to run outside Dialogos
//   (no handover), so it never signals a host's init. With --run (host mode) the request is written to
//   RUN/power-request instead of signalling PID 1.
import type { Command } from 'commander';
import {
  dataPaths, pid1Power, readHandover, recordingPower, requestPower,
  type GenBindings, type PowerAction,
} from '../core/index.js';
import type { BindingsProvider } from './daemon.js';

export interface PowerIo {
  out(text: string): void;
  env: NodeJS.ProcessEnv;
  kill?: (pid: number, sig: NodeJS.Signals) => void;
}

/** The command's logic: returns the exit code. */
export async function runPower(
  action: PowerAction,
  opts: { json: boolean; data?: string; run?: string },
  bindings: GenBindings | null,
  io: PowerIo,
): Promise<number> {
  const hostMode = opts.run !== undefined || opts.data !== undefined;
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
    program
      .command(action)
      .description(`${action} through PID 1, refunding a running trial`)
      .option('--json', 'print the result as JSON')
      .option('--data <dir>', 'data partition (host mode when given)')
      .option('--run <dir>', 'runtime dir with handover.json (host mode when given)')
      .action(async (opts: { json?: boolean; data?: string; run?: string }) => {
        process.exitCode = await runPower(action, { ...opts, json: opts.json === true }, bindings ? await bindings() : null, {
          out: (t) => process.stdout.write(`${t}\n`),
          env: process.env,
        });
      });
  }
}
