// The llm service: model store + local workers + remotes behind the API, listening on <runDir>/llm.sock and
// 127.0.0.1:<port>, plus any --listen address (those need the bearer token). Writes <runDir>/llm.json so
// `dialogos model endpoint` and other programs find the running instance.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import type { Server } from 'node:http';
import { totalmem } from 'node:os';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../std/index.js';
import { createApiServer } from './api/server.js';
import { defaultGpu } from './gpu.js';
import { LocalModels, type LocalModelsConfig } from './local-models.js';
import { llmPaths, type LlmPaths } from './paths.js';
import { Registry } from './registry.js';
import { ModelStore } from './store.js';

export class ServiceStartError extends Error {
  override name = 'ServiceStartError';
}

export interface ServeOptions extends Partial<Omit<LocalModelsConfig, 'log'>> {
  state?: string;
  paths?: LlmPaths;
  /** Loopback TCP port (0 = ephemeral). */
  port?: number;
  /** Extra listen addresses HOST:PORT; non-loopback ones need the token. */
  listen?: string[];
  requestTimeoutMs?: number;
  /** Require the token on --listen addresses from loopback peers too (a local reverse proxy forwards remote clients from 127.0.0.1). */
  requireToken?: boolean;
  log?(level: 'info' | 'warn' | 'error', msg: string): void;
}

export interface RunningService {
  baseUrl: string;
  socket: string;
  paths: LlmPaths;
  local: LocalModels;
  /** Token for non-loopback clients, when one exists. */
  token: string | null;
  /** Ports of the --listen addresses, in order (resolves port 0). */
  listenPorts: number[];
  close(): Promise<void>;
}

export const DEFAULTS = { contextSize: 2048, sequences: 4, threads: 0, maxQueue: 64, idleUnloadMs: 10 * 60_000, requestTimeoutMs: 10 * 60_000 };

const isLoopback = (h: string) => h === 'localhost' || h === '::1' || h.startsWith('127.');

function parseListen(a: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(a);
  if (!m || Number(m[3]) > 65535) throw new ServiceStartError(`Invalid listen address "${a}": expected HOST:PORT, e.g. 0.0.0.0:8080`);
  return { host: (m[1] ?? m[2])!, port: Number(m[3]) };
}

const answers = (socket: string) => new Promise<boolean>((resolve) => {
  const c = connect(socket);
  c.once('connect', () => { c.destroy(); resolve(true); });
  c.once('error', () => resolve(false));
});

async function ensureToken(file: string): Promise<string> {
  try { return (await readFile(file, 'utf8')).trim(); } catch { /* make one */ }
  const t = randomBytes(32).toString('base64url');
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(file, `${t}\n`, 0o600);
  await chmod(file, 0o600);
  return t;
}

const listenOn = (s: Server, arg: { path: string } | { host: string; port: number }) => new Promise<void>((resolve, reject) => {
  s.once('error', reject);
  s.listen(arg, () => { s.off('error', reject); resolve(); });
});

/** Starts the service. Throws ServiceStartError (already running, bad address, cannot listen). */
export async function startLlmService(o: ServeOptions = {}): Promise<RunningService> {
  const paths = o.paths ?? llmPaths(o.state);
  const log = o.log ?? (() => undefined);
  await mkdir(paths.runDir, { recursive: true });
  if (await answers(paths.socket)) throw new ServiceStartError(`The llm service already runs on "${paths.socket}" (stop it first, or use another --state)`);
  await rm(paths.socket, { force: true });
  const listens = (o.listen ?? []).map(parseListen);
  const needsToken = listens.some((l) => !isLoopback(l.host)) || (o.requireToken && listens.length > 0);
  const token = needsToken ? await ensureToken(paths.tokenFile) : await readFile(paths.tokenFile, 'utf8').then((t) => t.trim(), () => null);
  const local = new LocalModels({
    memoryBudgetBytes: o.memoryBudgetBytes ?? Math.floor(totalmem() / 2),
    contextSize: o.contextSize ?? DEFAULTS.contextSize, sequences: o.sequences ?? DEFAULTS.sequences, threads: o.threads ?? DEFAULTS.threads,
    maxQueue: o.maxQueue ?? DEFAULTS.maxQueue, idleUnloadMs: o.idleUnloadMs ?? DEFAULTS.idleUnloadMs, gpu: o.gpu ?? defaultGpu(),
    ...(o.workerPath ? { workerPath: o.workerPath } : {}), log,
  });
  const registry = new Registry(new ModelStore(paths), paths.remotesFile, local, (m) => log('warn', m));
  const mk = (strict = false) => createApiServer({ registry, local, token: () => token, trustLoopback: !strict, requestTimeoutMs: o.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs, log });
  const servers: Server[] = [];
  try {
    const unix = mk();
    await listenOn(unix, { path: paths.socket });
    servers.push(unix);
    await chmod(paths.socket, 0o660);
    const lo = mk();
    await listenOn(lo, { host: '127.0.0.1', port: o.port ?? 0 });
    servers.push(lo);
    for (const l of listens) { const s = mk(o.requireToken === true); await listenOn(s, l); servers.push(s); }
  } catch (err) {
    for (const s of servers) s.close();
    await local.close();
    throw new ServiceStartError(`Cannot listen: ${(err as Error).message}`, { cause: err });
  }
  const port = (servers[1]!.address() as { port: number }).port;
  const baseUrl = `http://127.0.0.1:${port}/v1`;
  await writeFileAtomic(paths.endpointFile, `${JSON.stringify({ baseUrl, socket: paths.socket, pid: process.pid })}\n`);
  log('info', `llm service listening on ${baseUrl} and ${paths.socket}${listens.length ? ` and ${listens.map((l) => `${l.host}:${l.port}`).join(', ')} (token required off loopback)` : ''}`);
  let closed = false;
  return {
    baseUrl, socket: paths.socket, paths, local, token, listenPorts: servers.slice(2).map((s) => (s.address() as { port: number }).port),
    async close() {
      if (closed) return;
      closed = true;
      for (const s of servers) { s.close(); s.closeAllConnections(); }
      await local.close();
      const cur = await readFile(paths.endpointFile, 'utf8').catch(() => '');
      if (cur.includes(`"pid":${process.pid}`)) await rm(paths.endpointFile, { force: true });
      await rm(paths.socket, { force: true });
    },
  };
}

/** The endpoint file of a running instance, or null when none is running. */
export async function readEndpoint(paths: LlmPaths): Promise<{ baseUrl: string; socket: string; pid: number } | null> {
  try {
    const v = JSON.parse(await readFile(paths.endpointFile, 'utf8')) as { baseUrl: string; socket: string; pid: number };
    try { process.kill(v.pid, 0); } catch (err) { if ((err as NodeJS.ErrnoException).code === 'ESRCH') return null; }
    return v;
  } catch {
    return null;
  }
}
