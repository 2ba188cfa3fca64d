// The real clock and spawner: wall time, and child processes run with no shell (health checks, probes,
// the tools of the kind controllers).
import { spawn } from 'node:child_process';
import type { Clock, SpawnResult, Spawner } from './ports.js';

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
