// Real implementations of dialogosd's OS ports: wall clock, child processes, console, operator shell.
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ChildHandle, Clock, Console, ShellLauncher, SpawnResult, Spawner } from './ports.js';

/**
 * The argv of a base-layer tool: through /bin/busybox when it is there (the base layer links only a few
 * applets and PID 1 may export no PATH), else the name looked up on PATH (host mode).
 */
export function tool(name: string, busybox = '/bin/busybox'): string[] {
  return existsSync(busybox) ? [busybox, name] : [name];
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const t = setTimeout(done, Math.max(0, ms));
      function done(): void {
        clearTimeout(t);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

export async function realFileExists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/** Spawns argv with no shell; kills the child (SIGKILL) on timeout or abort. Keeps the last stderr line. */
export const realSpawner: Spawner = {
  run(argv, timeoutMs, signal) {
    return new Promise<SpawnResult>((resolve) => {
      const [cmd, ...args] = argv;
      if (cmd === undefined) return resolve({ kind: 'error', message: 'empty argv' });
      let tail = '';
      let timedOut = false;
      const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr.setEncoding('utf8').on('data', (d: string) => { tail = (tail + d).slice(-400); });
      const kill = (): void => { child.kill('SIGKILL'); };
      const timer = setTimeout(() => { timedOut = true; kill(); }, timeoutMs);
      signal?.addEventListener('abort', kill, { once: true });
      const finish = (r: SpawnResult): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', kill);
        resolve(r);
      };
      child.on('error', (err) => finish({ kind: 'error', message: `cannot run "${cmd}": ${err.message}` }));
      child.on('close', (code, sig) => {
        if (timedOut) return finish({ kind: 'timeout' });
        if (sig) return finish({ kind: 'signal', signal: sig });
        finish({ kind: 'exit', code: code ?? 1, stderrTail: tail.trim().split('\n').at(-1) ?? '' });
      });
    });
  },
};

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
