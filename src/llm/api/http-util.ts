// Reading request bodies and writing JSON, SSE and OpenAI-shaped errors on node:http.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BadRequestError, LlmError, QueueFullError } from '../errors.js';

export const MAX_BODY = 16 * 1024 * 1024;

export class PayloadTooLargeError extends LlmError {
  override name = 'PayloadTooLargeError';
  readonly status = 413;
  override readonly code = 'payload_too_large';
}

export class NotFoundRouteError extends LlmError {
  override name = 'NotFoundRouteError';
  readonly status = 404;
  override readonly code = 'not_found';
}

export class MethodError extends LlmError {
  override name = 'MethodError';
  readonly status = 405;
  override readonly code = 'method_not_allowed';
}

/** Reads a JSON body (≤ 16 MiB); a larger one is drained so the client still reads the 413. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const ct = req.headers['content-type'] ?? '';
  if (ct && !/^application\/json\b|\+json\b/i.test(ct)) throw new BadRequestError(`Unsupported Content-Type "${ct}": send application/json`, { code: 'unsupported_media_type' });
  const chunks: Buffer[] = [];
  let n = 0;
  let tooBig = false;
  for await (const c of req) {
    n += (c as Buffer).length;
    if (n > MAX_BODY) tooBig = true;
    else chunks.push(c as Buffer);
  }
  if (tooBig) throw new PayloadTooLargeError(`The request body is ${n} bytes; the limit is ${MAX_BODY}`);
  const buf = Buffer.concat(chunks);
  if (buf.length === 0) throw new BadRequestError('The request body is empty: send a JSON object', { code: 'invalid_json' });
  let text: string;
  try { text = new TextDecoder('utf-8', { fatal: true }).decode(buf); } catch {
    throw new BadRequestError('The request body is not valid UTF-8 (binary data?): send a JSON object', { code: 'invalid_json' });
  }
  try { return JSON.parse(text); } catch (err) {
    throw new BadRequestError(`We could not parse the JSON body of your request: ${(err as Error).message}`, { code: 'invalid_json' });
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) { res.end(); return; }
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...headers });
  res.end(data);
}

/** The OpenAI error body of an error; unknown errors are 500 with their message. */
export function errorBody(err: unknown): { status: number; body: { error: { message: string; type: string; param: string | null; code: string | null } }; headers: Record<string, string> } {
  if (err instanceof LlmError) {
    const headers: Record<string, string> = err instanceof QueueFullError ? { 'retry-after': String(err.retryAfterSeconds) } : {};
    return { status: err.status, body: { error: { message: err.message, type: err.type, param: err.param, code: err.code } }, headers };
  }
  return { status: 500, body: { error: { message: `Internal error: ${(err as Error).message}`, type: 'server_error', param: null, code: 'internal_error' } }, headers: {} };
}

export function sendError(res: ServerResponse, err: unknown): void {
  const e = errorBody(err);
  if (res.headersSent) {
    // A stream already started: the error goes in the stream, as OpenAI-compatible servers do.
    if (!res.writableEnded) { res.write(`data: ${JSON.stringify(e.body)}\n\n`); res.end(); }
    return;
  }
  sendJson(res, e.status, e.body, e.headers);
}

export function startSse(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.flushHeaders();
}

export const sse = (res: ServerResponse, data: unknown): void => { if (!res.writableEnded) res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`); };
