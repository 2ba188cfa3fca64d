// Real implementations of dialogosd's OS ports: files, console, operator shell (the clock and the
// spawner are the service layer's, src/core/services/os-node.ts).
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ChildHandle, Console, ShellLauncher } from './ports.js';

/**
 * The argv of a base-layer tool: through /bin/busybox when it is there (the base layer links only a few
 * applets and PID 1 may export no PATH), else the name looked up on PATH (host mode).
 */
export function tool(name: string, busybox = '/bin/busybox'): string[] {
  return existsSync(busybox) ? [busybox, name] : [name];
}

export async function realFileExists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/** Lines to stdout: PID 1 gives its supervised child the console as stdout. */
export const stdoutConsole: Console = { line: (text) => { process.stdout.write(`${text}\n`); } };

/**
 * What the console runs after `dialogos ready` (issue 5): the dialog (`dialogos chat --console`), and
 * when a person leaves it, the operator shell; when that shell exits the launcher starts both again.
 * A generation without the dialog still gets the shell.
 */
export const CONSOLE_PROGRAM = 'if [ -x /usr/bin/dialogos ]; then /usr/bin/dialogos chat --console; fi; exec /bin/sh';

/**
 * The console program on `tty` under `setsid -c` so it gets job control, restarted when it exits,
 * like a getty.
 */
export function consoleShell(tty = '/dev/console', argv = [...tool('setsid'), '-c', '/bin/sh', '-c', CONSOLE_PROGRAM]): ShellLauncher {
  return {
    start(): ChildHandle {
      let stopped = false;
      let current: ReturnType<typeof spawn> | null = null;
      let exited: Promise<void> = Promise.resolve();
      let respawn: NodeJS.Timeout | null = null;
      const launch = (): void => {
        respawn = null;
        if (stopped) return;
        const fd = openSync(tty, 'r+');
        const child = spawn(argv[0] as string, argv.slice(1), { stdio: [fd, fd, fd] });
        closeSync(fd);
        current = child;
        exited = new Promise<void>((resolve) => {
          child.on('error', () => resolve());
          child.on('exit', () => {
            resolve();
            // A second later, so a shell that cannot start does not spin.
            if (!stopped) respawn = setTimeout(launch, 1000);
          });
        });
      };
      launch();
      return {
        async stop() {
          stopped = true;
          if (respawn) clearTimeout(respawn);
          current?.kill('SIGHUP');
          // An interactive shell exits on hangup; one that ignores it is killed.
          const t = setTimeout(() => current?.kill('SIGKILL'), 2000);
          await exited;
          clearTimeout(t);
        },
      };
    },
  };
}
