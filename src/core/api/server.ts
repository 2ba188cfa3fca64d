// The API server: node:http on a unix socket (local, no authentication: the socket is 0600) and, when
// asked, on TCP with bearer-token authentication. Every query and body is validated; every failure is
// `{"error":{"name","message"}}` with its status code; nothing a client sends can throw out of here.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { chmod, mkdir, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ApiBackend } from './backend.js';
import { bearerMatches } from './auth.js';
import { ApiError, MethodNotAllowedError, UnauthorizedError } from './errors.js';
import { sendJson } from '../../std/index.js';
import { errorAnswer, parseOr400, queryOf, readJson } from './http.js';
import { openApiDocument } from './openapi.js';
import { match, notFound } from './routes.js';
import { emptyQuery } from './schemas.js';

/** The longest path a unix socket address holds on Linux (sun_path is 108 bytes with its NUL). */
export const MAX_SOCKET_PATH = 107;

export interface ApiServerOptions {
  backend: ApiBackend;
  socketPath: string;
  /** TCP listener, off by default: `{ host, port, token }`. */
  tcp?: { host: string; port: number; token: string };
  /** 500s and listener errors, in words (the journal). */
  log?(level: 'warn' | 'error', message: string): void;
}

export interface ApiServer {
  readonly socketPath: string;
  /** The TCP address actually bound (port 0 picks one). */
  readonly tcpAddress: { host: string; port: number } | null;
  close(): Promise<void>;
}

export class ApiAddressInUseError extends ApiError {
  constructor(message: string) { super(409, message); }
}
/** A unix socket path longer than sun_path holds. */
export class SocketPathTooLongError extends Error {
  override name = 'SocketPathTooLongError';
}

/** Whether something answers on the socket (a live dialogosd) or it is a stale file. */
function socketAnswers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

function listen(server: Server, arg: string | { host: string; port: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const done = (): void => { server.off('error', reject); resolve(); };
    if (typeof arg === 'string') server.listen(arg, done);
    else server.listen(arg.port, arg.host, done);
  });
}

/**
 * Starts the API. A stale socket left by a crash is removed; a live one is refused.
 * @throws ApiAddressInUseError when another dialogosd answers on the socket; SocketPathTooLongError; listen
 *   errors (EADDRINUSE)
 */
export async function startApiServer(o: ApiServerOptions): Promise<ApiServer> {
  if (Buffer.byteLength(o.socketPath) > MAX_SOCKET_PATH) {
    throw new SocketPathTooLongError(`Cannot listen on "${o.socketPath}": a unix socket path holds at most ${MAX_SOCKET_PATH} bytes (use a shorter --state)`);
  }
  const closing = new AbortController();
  const handler = (tcp: boolean) => (req: IncomingMessage, res: ServerResponse): void => {
    void handle(o, req, res, tcp, closing.signal);
  };
  await mkdir(dirname(o.socketPath), { recursive: true });
  if (await socketAnswers(o.socketPath)) throw new ApiAddressInUseError(`Cannot listen on "${o.socketPath}": another dialogosd answers there`);
  await unlink(o.socketPath).catch(() => undefined);
  const servers: Server[] = [];
  const make = (tcp: boolean): Server => {
    const s = createServer({ requestTimeout: 60_000, headersTimeout: 20_000 }, handler(tcp));
    s.on('clientError', (_err, socket) => { if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n'); else socket.destroy(); });
    servers.push(s);
    return s;
  };
  await listen(make(false), o.socketPath);
  await chmod(o.socketPath, 0o600);
  let tcpAddress: ApiServer['tcpAddress'] = null;
  if (o.tcp) {
    const s = make(true);
    await listen(s, { host: o.tcp.host, port: o.tcp.port });
    const a = s.address();
    tcpAddress = a && typeof a === 'object' ? { host: a.address, port: a.port } : null;
  }
  return {
    socketPath: o.socketPath,
    tcpAddress,
    async close() {
      closing.abort();
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => {
        const t = setTimeout(() => s.closeAllConnections(), 2000);
        s.close(() => { clearTimeout(t); resolve(); });
        s.closeIdleConnections();
      })));
      await unlink(o.socketPath).catch(() => undefined);
    },
  };
}

async function handle(o: ApiServerOptions, req: IncomingMessage, res: ServerResponse, tcp: boolean, closing: AbortSignal): Promise<void> {
  const method = req.method ?? 'GET';
  let path = '?';
  try {
    const url = new URL(req.url ?? '/', 'http://dialogosd');
    path = url.pathname;
    if (tcp && !bearerMatches(req.headers.authorization, o.tcp!.token)) {
      throw new UnauthorizedError('Cannot serve the request: a valid "Authorization: Bearer <token>" header is required on TCP');
    }
    if (path === '/v1/openapi.json') {
      if (method !== 'GET') throw new MethodNotAllowedError(`Cannot ${method} "${path}": allowed: GET`, ['GET']);
      parseOr400(emptyQuery, queryOf(url), 'query');
      sendJson(res, 200, openApiDocument());
      return;
    }
    const { routes, params } = match(path);
    if (routes.length === 0) throw notFound(method, path);
    const route = routes.find((r) => r.method === method);
    if (!route) {
      const allow = routes.map((r) => r.method);
      throw new MethodNotAllowedError(`Cannot ${method} "${path}": allowed: ${allow.join(', ')}`, allow);
    }
    const query = parseOr400(route.query ?? emptyQuery, queryOf(url), 'query');
    let body: unknown;
    if (method === 'POST') {
      const raw = await readJson(req);
      body = route.body ? parseOr400(route.body, raw, 'request body') : undefined;
    } else req.resume();
    const out = await route.handle({ backend: o.backend, params, query, body, req, res, closing });
    if (!route.stream) sendJson(res, route.ok ?? 200, out);
  } catch (err) {
    const a = errorAnswer(err);
    if (a.status >= 500) o.log?.('error', `API ${method} ${path} failed: ${a.body.error.name}: ${a.body.error.message}`);
    sendJson(res, a.status, a.body, a.headers);
  }
}
