// dialogos daemon: run dialogosd, the service PID 1 supervises in the booted generation.
//
// SYNOPSIS
//   dialogos daemon [--data DIR] [--run DIR] [--no-shell]
//   dialogos daemon --state DIR [--listen HOST:PORT] [--defaults DIR]
// DESCRIPTION
//   Opens the journal, starts the API, makes the machine key on first boot, runs the booted generation's
//   health checks inside its window, blesses it (store and kernel image) or marks it bad and asks PID 1 to
//   reboot, prints `dialogos ready generation=<id>`, starts the operator shell and the services, and runs
//   until SIGTERM (exit 0): services are stopped in reverse dependency order and the journal is closed.
// OPTIONS
//   --data DIR          the data partition (default /data)
//   --run DIR           the runtime dir holding handover.json (default /run/dialogos)
//   --no-shell          no operator shell on the console
//   --state DIR         a host instance: journal, specs, run state, socket and pid file under DIR; no
//                       generation unless DIR/run holds a handover (use `dialogos host start`)
//   --listen HOST:PORT  also serve the API on TCP, bearer token from the instance's api.token (0600)
//   --defaults DIR      default specs (a machine: /dialogos/defaults/specs; host mode: none)
//   Giving --data or --run selects issue 2's host mode: power requests go to DIR/power-request, the
//   efivars and the ESP are RUN/efivars and RUN/esp, and a bad generation exits 1.
import { InvalidArgumentError, type Command } from 'commander';
import { runDaemon, type GenBindings } from '../core/index.js';

export type BindingsProvider = () => GenBindings | Promise<GenBindings>;

/** "127.0.0.1:8080" -> { host, port }; usage error otherwise. */
export function parseListen(v: string): { host: string; port: number } {
  const m = /^(.+):(\d{1,5})$/.exec(v);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) throw new InvalidArgumentError(`expected HOST:PORT, e.g. 127.0.0.1:7400, got "${v}"`);
  return { host: m[1]!.replace(/^\[(.*)\]$/, '$1'), port };
}

export function registerDaemon(program: Command, bindings: BindingsProvider | null = null): void {
  program
    .command('daemon')
    .description('run dialogosd: journal, API, health checks, bless or mark bad, ready line, services')
    .option('--data <dir>', 'data partition (host mode when given)')
    .option('--run <dir>', 'runtime dir with handover.json (host mode when given)')
    .option('--state <dir>', 'a host instance: everything under DIR')
    .option('--listen <host:port>', 'also serve the API on TCP with bearer tokens', parseListen)
    .option('--defaults <dir>', 'the generation\'s default specs')
    .option('--no-shell', 'do not start the operator shell')
    .action(async (opts: { data?: string; run?: string; state?: string; listen?: { host: string; port: number }; defaults?: string; shell: boolean }) => {
      const hostMode = opts.data !== undefined || opts.run !== undefined || opts.state !== undefined;
      // PID 1 passes only DIALOGOS_GENERATION and DIALOGOS_TRIAL: give health checks and tools a PATH.
      process.env.PATH ??= '/usr/sbin:/usr/bin:/sbin:/bin';
      const code = await runDaemon({
        dataDir: opts.data ?? '/data',
        runDir: opts.run ?? '/run/dialogos',
        hostMode,
        shell: opts.shell && !hostMode,
        bindings: bindings ? await bindings() : null,
        ...(opts.state ? { state: opts.state } : {}),
        ...(opts.listen ? { listen: opts.listen } : {}),
        ...(opts.defaults ? { defaultsDir: opts.defaults } : {}),
      });
      // Everything is stopped and the journal closed: do not wait on a stray timer or handle.
      process.exit(code);
    });
}
