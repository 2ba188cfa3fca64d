// The HTTP front of the llm service: routing, authentication (bearer token unless the peer is on the unix
// socket or loopback), client identity for fair queueing, and errors in OpenAI's shape for every failure.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { AuthError, InvalidRequestError } from '../errors.js';
import type { LocalModels } from '../local-models.js';
import type { Registry } from '../registry.js';
import { proxyRemote } from '../remote.js';
import { handleChat, handleCompletion, handleEmbeddings, type CallContext } from './generate.js';
import { MethodError, NotFoundRouteError, readJson, sendError, sendJson } from './http-util.js';
import { chatRequestSchema, completionRequestSchema, embeddingRequestSchema, parseBody } from './schemas.js';
import { checkLocalFields, type LocalRoute } from './fields.js';

const ROUTES = { '/v1/chat/completions': 'chat', '/v1/completions': 'completion', '/v1/embeddings': 'embedding' } as const satisfies Record<string, LocalRoute>;

export interface ApiOptions {
  registry: Registry;
  local: LocalModels;
  /** null = no token exists (only local clients can connect). */
  token: () => string | null;
  requestTimeoutMs: number;
  /** false: every TCP peer needs the token, loopback too (unix-socket peers never do). */
  trustLoopback?: boolean;
  log?(level: 'info' | 'warn' | 'error', msg: string): void;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Loopback peers and unix-socket peers (no remote address) need no token. */
export function isLocalPeer(req: IncomingMessage, trustLoopback = true): boolean {
  const a = req.socket.remoteAddress;
  if (a === undefined) return true;
  return trustLoopback && (a === '::1' || a.startsWith('127.') || a.startsWith('::ffff:127.'));
}

function checkAuth(req: IncomingMessage, token: string | null, trustLoopback: boolean): string | null {
  const h = req.headers.authorization;
  const given = h?.startsWith('Bearer ') ? h.slice(7).trim() : null;
  if (isLocalPeer(req, trustLoopback)) return given;
  if (!token) throw new AuthError('This endpoint needs a bearer token, and none is configured on the server');
  if (!given) throw new AuthError('Missing bearer token: send "Authorization: Bearer <token>" (the token is in the state directory, llm/api.token)');
  if (!timingSafeEqual(digest(given), digest(token))) throw new AuthError('Incorrect API key provided');
  return given;
}

/** Who a request is, for round-robin fairness: the `user` field, else the token, else the peer. */
function clientOf(req: IncomingMessage, body: { user?: string } | null, token: string | null): string {
  if (body?.user) return `user:${body.user}`;
  if (token) return `token:${digest(token).toString('hex').slice(0, 16)}`;
  return `peer:${req.socket.remoteAddress ?? 'unix'}:${req.socket.remotePort ?? ''}`;
}

export function createApiServer(o: ApiOptions): Server {
  const route = async (req: IncomingMessage, res: ServerResponse, disconnect: AbortSignal): Promise<void> => {
    const given = checkAuth(req, o.token(), o.trustLoopback !== false);
    const url = new URL(req.url ?? '/', 'http://llm');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const method = req.method ?? 'GET';
    const only = (m: string) => { if (method !== m) { res.setHeader('allow', m); throw new MethodError(`${method} is not allowed on ${path}; use ${m}`); } };
    if (path === '/health' || path === '/v1/health') { only('GET'); sendJson(res, 200, { status: 'ok' }); return; }
    if (path === '/v1/models') { only('GET'); sendJson(res, 200, { object: 'list', data: await o.registry.entries() }); return; }
    if (path.startsWith('/v1/models/')) {
      only('GET');
      let id: string;
      try { id = decodeURIComponent(path.slice('/v1/models/'.length)); } catch { throw new InvalidRequestError(`The model id in "${path}" is not valid percent-encoding`, { param: 'model' }); }
      sendJson(res, 200, o.registry.entry(await o.registry.resolve(id)));
      return;
    }
    const kinds = { '/v1/chat/completions': chatRequestSchema, '/v1/completions': completionRequestSchema, '/v1/embeddings': embeddingRequestSchema } as const;
    if (!(path in kinds)) throw new NotFoundRouteError(`Unknown route ${method} ${path} (see GET /v1/models, POST /v1/chat/completions, /v1/completions, /v1/embeddings)`);
    only('POST');
    const raw = await readJson(req);
    const p = path as keyof typeof kinds;
    const body = parseBody(kinds[p] as never, raw) as Record<string, unknown> & { model: string; user?: string };
    const target = await o.registry.resolve(body.model);
    if (target.kind === 'remote') { await proxyRemote(target.remote, path.slice(3), raw as Record<string, unknown>, res, disconnect); return; }
    checkLocalFields(ROUTES[p], raw as Record<string, unknown>);
    const ctx: CallContext = { local: o.local, client: clientOf(req, body, given), disconnect, timeoutMs: o.requestTimeoutMs };
    if (p === '/v1/chat/completions') await handleChat(ctx, target.model, parseBody(chatRequestSchema, raw), res);
    else if (p === '/v1/completions') await handleCompletion(ctx, target.model, parseBody(completionRequestSchema, raw), res);
    else {
      const e = parseBody(embeddingRequestSchema, raw);
      await handleEmbeddings(ctx, target.model, typeof e.input === 'string' ? [e.input] : e.input, e.encoding_format === 'base64', res);
    }
  };
  return createServer((req, res) => {
    const ac = new AbortController();
    res.on('close', () => { if (!res.writableFinished) ac.abort(); });
    route(req, res, ac.signal).catch((err: unknown) => {
      const e = err as Error;
      if (!('status' in e)) o.log?.('error', `${req.method} ${req.url}: ${e.stack ?? e.message}`);
      if (!res.destroyed) sendError(res, err);
    });
  });
}
