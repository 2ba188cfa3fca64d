// Test helpers for host-mode integration tests: a dialogosd instance in a temporary state directory,
// started and stopped through the real CLI (`dialogos host start|stop`), talked to through the API.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { apiCall } from '../../core/api/index.js';
import type { JournalEntry } from '../../core/journal/index.js';
import type { UnitStatus } from '../../core/services/index.js';

export const MAIN = fileURLToPath(new URL('../../cli/main.js', import.meta.url));

export interface CliResult { code: number | null; stdout: string; stderr: string }

/** Runs `dialogos ...args` as a process. */
export function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { env: { ...process.env, DIALOGOS_STATE: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += String(d); });
    child.stderr.on('data', (d) => { stderr += String(d); });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface Instance {
  state: string;
  socket: string;
  cli(...args: string[]): Promise<CliResult>;
  api<T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T>;
  unit(name: string): Promise<UnitStatus>;
  /** Polls the unit until `pred` holds (limit generous: a shared 2-core host). */
  waitUnit(name: string, pred: (s: UnitStatus) => boolean, limitMs?: number): Promise<UnitStatus>;
  journal(query?: string): Promise<JournalEntry[]>;
  apply(specs: unknown[]): Promise<CliResult>;
  stop(): Promise<CliResult>;
  /** Stops (if running) and removes the state directory. */
  dispose(): Promise<void>;
}

/** Polls `f` until it returns a value other than undefined. */
export async function until<T>(what: string, f: () => Promise<T | undefined>, limitMs = 30_000): Promise<T> {
  const deadline = Date.now() + limitMs;
  let last: unknown;
  for (let wait = 10; ; wait = Math.min(wait * 2, 200)) {
    try {
      const v = await f();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${limitMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(wait);
  }
}

/** Starts a host instance in a fresh temp dir (`extra`: more `host start` options). */
export async function startInstance(extra: string[] = []): Promise<Instance> {
  const state = await mkdtemp(join(tmpdir(), 'dlg-'));
  const r = await cli(['host', 'start', '--state', state, ...extra]);
  if (r.code !== 0) throw new Error(`host start failed (${r.code}): ${r.stdout}${r.stderr}`);
  return instanceAt(state);
}

export function instanceAt(state: string): Instance {
  const socket = join(state, 'run', 'api.sock');
  const self: Instance = {
    state, socket,
    cli: (...args) => cli([...args, '--state', state]),
    api: (method, path, body) => apiCall({ socketPath: socket, timeoutMs: 60_000 }, method, path, body),
    async unit(name) { return (await self.api<{ status: UnitStatus }>('GET', `/v1/units/${name}`)).status; },
    waitUnit: (name, pred, limitMs = 30_000) => until(`unit ${name}`, async () => { const s = await self.unit(name); return pred(s) ? s : undefined; }, limitMs),
    async journal(query = '') { return (await self.api<{ entries: JournalEntry[] }>('GET', `/v1/journal${query ? `?${query}` : ''}`)).entries; },
    async apply(specs) {
      const { writeFile } = await import('node:fs/promises');
      const f = join(state, `apply-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
      await writeFile(f, JSON.stringify(specs));
      return self.cli('svc', 'apply', f);
    },
    stop: () => cli(['host', 'stop', '--state', state]),
    async dispose() {
      await self.stop();
      await rm(state, { recursive: true, force: true });
    },
  };
  return self;
}

/** A service spec with quick test defaults. */
export const service = (name: string, script: string, more: Record<string, unknown> = {}): Record<string, unknown> =>
  ({ kind: 'service', name, command: '/bin/sh', args: ['-c', script], stopTimeoutMs: 3000, ...more });
