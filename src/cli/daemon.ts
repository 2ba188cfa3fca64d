// dialogos daemon: run dialogosd, the service PID 1 supervises in the booted generation.
//
// SYNOPSIS
//   dialogos daemon [--data DIR] [--run DIR] [--no-shell]
// DESCRIPTION
//   Makes the machine key on first boot, runs the booted generation's health checks inside its window,
//   blesses it (store and kernel image) or marks it bad and asks PID 1 to reboot, prints
//   `dialogos ready generation=<id>`, starts the operator shell and runs until SIGTERM (exit 0).
// OPTIONS
//   --data DIR   the data partition (default /data)
//   --run DIR    the runtime dir holding handover.json (default /run/dialogos)
//   --no-shell   no operator shell on the console
//   Giving --data or --run selects host mode: power requests go to DIR/power-request, the efivars and
//   the ESP are RUN/efivars and RUN/esp, and a bad generation exits 1 instead of waiting for PID 1.
import type { Command } from 'commander';
import { runDaemon, type GenBindings } from '../core/index.js';

export type BindingsProvider = () => GenBindings | Promise<GenBindings>;

export function registerDaemon(program: Command, bindings: BindingsProvider | null = null): void {
  program
    .command('daemon')
    .description('run dialogosd: health checks, bless or mark bad, ready line, operator shell')
    .option('--data <dir>', 'data partition (host mode when given)')
    .option('--run <dir>', 'runtime dir with handover.json (host mode when given)')
    .option('--no-shell', 'do not start the operator shell')
    .action(async (opts: { data?: string; run?: string; shell: boolean }) => {
      const hostMode = opts.data !== undefined || opts.run !== undefined;
      // PID 1 passes only DIALOGOS_GENERATION and DIALOGOS_TRIAL: give health checks and tools a PATH.
      process.env.PATH ??= '/usr/sbin:/usr/bin:/sbin:/bin';
      process.exitCode = await runDaemon({
        dataDir: opts.data ?? '/data',
        runDir: opts.run ?? '/run/dialogos',
        hostMode,
        shell: opts.shell && !hostMode,
        bindings: bindings ? await bindings() : null,
      });
    });
}
