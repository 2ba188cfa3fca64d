// Starting the sandbox's process chain and watching it: bounded stdout and stderr, the status fd (3) on
// which the setup says "ready" (and waits for the go on stdin, so the runner can take the CPU baseline)
// and the jail says how the command ended, the wall budget counted from ready, and a bounded setup.
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { SandboxSetupError } from './errors.js';
import { capture, type Capture } from './output.js';

/** A setup that takes longer than this (mounts hung, a huge tree to chown) is killed. */
export const SETUP_MS = 60_000;

export interface Launched {
  end: { code: number | null; signal: NodeJS.Signals | null };
  wallHit: boolean;
  /** The setup never reported ready within SETUP_MS and was killed. */
  setupTimedOut: boolean;
  /** From ready (the command's start) to the end; from the spawn when ready never came. */
  wallMs: number;
  stdout: Capture;
  stderr: Capture;
  /** What the setup and the jail wrote on fd 3 ("ready", then "exit N" or "signal N"). */
  status: string;
}

export interface LaunchOptions {
  wallMs: number;
  outputLimit: number;
  onReady(): Promise<void>;
  /** Kills every process of the run (the cgroup); called repeatedly until the chain has exited. */
  kill(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** @throws SandboxSetupError when the chain cannot be started */
export async function launch(argv: string[], env: Record<string, string>, o: LaunchOptions): Promise<Launched> {
  let t0 = Date.now();
  const child = spawn(argv[0]!, argv.slice(1), { env, detached: true, stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
  const stdout = capture(child.stdout!, o.outputLimit);
  const stderr = capture(child.stderr!, o.outputLimit);
  let status = '';
  let closed = false;
  let wallHit = false;
  let setupTimedOut = false;
  const killLoop = async (): Promise<void> => {
    while (!closed) {
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
      await o.kill();
      await sleep(50);
    }
  };
  let timer = setTimeout(() => { setupTimedOut = true; void killLoop(); }, SETUP_MS);
  child.stdin!.on('error', () => undefined);
  (child.stdio[3] as Readable).on('data', (d: Buffer) => {
    const was = status;
    status += d.toString();
    if (!was.includes('ready\n') && status.includes('ready\n')) {
      clearTimeout(timer);
      void o.onReady().catch(() => undefined).finally(() => {
        t0 = Date.now();
        timer = setTimeout(() => { wallHit = true; void killLoop(); }, o.wallMs);
        child.stdin!.end('go\n');
      });
    }
  });
  const end = await new Promise<Launched['end']>((resolve, reject) => {
    child.once('error', (err) => reject(new SandboxSetupError(`Cannot start the sandbox with "${argv[0]}": ${err.message}`, { cause: err })));
    child.once('close', (code, signal) => { closed = true; resolve({ code, signal }); });
  }).finally(() => clearTimeout(timer));
  return { end, wallHit, setupTimedOut, wallMs: Date.now() - t0, stdout, stderr, status };
}
