// HTTP plumbing on node:http shared by dialogosd's API and the llm service's: a bounded JSON body reader,
// JSON answers and server-sent events. Each caller passes its own limit and error factories, so each keeps
// its own error envelope (dialogosd's `{error:{name,message}}`, the llm service's OpenAI shape).
import type { IncomingMessage, ServerResponse } from 'node:http';

/** The errors a body read can end in, made by the caller (its classes, its statuses, its words). */
export interface BodyErrors {
  /** `size` is the declared Content-Length when that alone is over the limit, else null. */
  tooLarge(size: number | null, max: number): Error;
  /** `type` is the media type without parameters, lower case, '' when there is none; `header` is verbatim. */
  unsupportedType(type: string, header: string): Error;
  notUtf8(): Error;
  notJson(cause: Error): Error;
}

export interface JsonBodyOptions {
  maxBytes: number;
  /** Whether a non-empty body of this media type (as in BodyErrors.unsupportedType) is read as JSON. */
  acceptsType(type: string, header: string): boolean;
  errors: BodyErrors;
  /** A refused body is read and dropped up to this much (so the client can read the 413), then the connection is cut. */
  maxDrainBytes?: number;
}

const MAX_DRAIN = 64 * 1024 * 1024;

/**
 * Reads a JSON body of at most `o.maxBytes` bytes. An empty body is `undefined` (the caller decides).
 * @throws what `o.errors` makes: too large, an unaccepted media type, not UTF-8, not JSON; the stream's error
 */
export async function readJsonBody(req: IncomingMessage, o: JsonBodyOptions): Promise<unknown> {
  const maxDrain = o.maxDrainBytes ?? MAX_DRAIN;
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > o.maxBytes) {
    drain(req, maxDrain);
    throw o.errors.tooLarge(declared, o.maxBytes);
  }
  const body = await collect(req, o, maxDrain);
  if (body.length === 0) return undefined;
  const header = String(req.headers['content-type'] ?? '');
  const type = header.split(';')[0]!.trim().toLowerCase();
  if (!o.acceptsType(type, header)) throw o.errors.unsupportedType(type, header);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw o.errors.notUtf8();
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw o.errors.notJson(err as Error);
  }
}

/**
 * The body, or the too-large error as soon as it passes the limit. Events, not `for await`: leaving an
 * async iterator destroys the stream, and with it the connection before the 413 answer could be read; an
 * oversized body is drained (up to maxDrain) instead.
 */
function collect(req: IncomingMessage, o: JsonBodyOptions, maxDrain: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const got: Buffer[] = [];
    let n = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      n += c.length;
      if (n > maxDrain) { req.socket.destroy(); return; }
      if (over) return;
      if (n > o.maxBytes) {
        over = true;
        reject(o.errors.tooLarge(null, o.maxBytes));
        return;
      }
      got.push(c);
    });
    req.once('end', () => { if (!over) resolve(Buffer.concat(got, n)); });
    req.once('error', reject);
  });
}

function drain(req: IncomingMessage, maxDrain: number): void {
  let n = 0;
  req.on('data', (c: Buffer) => { n += c.length; if (n > maxDrain) req.socket.destroy(); });
  req.resume();
}

/** Answers with `body` as JSON; a response already under way is ended instead (it cannot change its status). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  if (res.headersSent) { if (!res.writableEnded) res.end(); return; }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Starts a server-sent event stream (200, text/event-stream), its headers sent at once. */
export function startSse(res: ServerResponse, cacheControl: 'no-cache' | 'no-store' = 'no-cache'): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': cacheControl, connection: 'keep-alive' });
  res.flushHeaders();
}

/**
 * Writes one event: `data` as is when a string, else as JSON, after `event: NAME` when named.
 * @returns false when the stream has ended or the client has gone (nothing written)
 */
export function writeSse(res: ServerResponse, data: unknown, event?: string): boolean {
  if (res.writableEnded || res.destroyed) return false;
  res.write(`${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
  return true;
}
