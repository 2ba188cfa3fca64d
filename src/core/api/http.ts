// The HTTP plumbing of the API: bounded body reading, JSON answers and the error envelope.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { ApiError, BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from './errors.js';

/** Bodies above this are refused with 413 (a spec set is a few KiB; 1 MiB is generous). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** A refused body is read and dropped up to this much (so the client can read the 413), then the connection is cut. */
const MAX_DRAIN = 64 * 1024 * 1024;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Turns any thrown value into the status and `{"error":{name,message}}` envelope. */
export function errorAnswer(err: unknown): { status: number; body: { error: { name: string; message: string; issues?: unknown } }; headers: Record<string, string> } {
  const e = err instanceof Error ? err : new Error(String(err));
  const headers: Record<string, string> = {};
  let status = 500;
  let issues: unknown;
  if (e instanceof ApiError) {
    status = e.status;
    issues = e.details;
    if ('allow' in e) headers.allow = (e as { allow: string[] }).allow.join(', ');
  } else if (e.name === 'UnitNotFoundError' || e.name === 'GenerationMissingError') status = 404;
  else if (e.name === 'SpecValidationError') { status = 400; issues = (e as Error & { issues: unknown }).issues; }
  else if (e.name === 'JournalQueryError' || e.name === 'GenerationIdError') status = 400;
  else if (e.name === 'SpecRemoveError') status = 409;
  return { status, body: { error: { name: e.name, message: e.message, ...(issues !== undefined ? { issues } : {}) } }, headers };
}

/** zod issues as `{path, message}` with a dotted path, the same shape as SpecValidationError's issues. */
export const zodIssues = (err: z.ZodError): { path: string; message: string }[] =>
  err.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));

/** Parses `value` with `schema`, or throws BadRequestError naming every problem. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = zodIssues(r.error);
  throw new BadRequestError(`Invalid ${what}: ${issues.slice(0, 5).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`, { details: issues });
}

/**
 * Reads a JSON body of at most `max` bytes. An empty body is `undefined`.
 * @throws PayloadTooLargeError, UnsupportedMediaTypeError (not application/json), BadRequestError (not JSON)
 */
export async function readJson(req: IncomingMessage, max = MAX_BODY_BYTES): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > max) {
    drain(req);
    throw new PayloadTooLargeError(`Cannot accept the request body: ${declared} bytes is more than the ${max} allowed`);
  }
  // Events, not `for await`: leaving an async iterator destroys the stream, and with it the connection
  // before the 413 answer could be read. An oversized body is drained (up to MAX_DRAIN) instead.
  const { chunks, size } = await new Promise<{ chunks: Buffer[]; size: number }>((resolve, reject) => {
    const got: Buffer[] = [];
    let n = 0;
    let over = false;
    const onData = (c: Buffer): void => {
      n += c.length;
      if (n > MAX_DRAIN) { req.socket.destroy(); return; }
      if (over) return;
      if (n > max) {
        over = true;
        reject(new PayloadTooLargeError(`Cannot accept the request body: more than the ${max} bytes allowed`));
        return;
      }
      got.push(c);
    };
    req.on('data', onData);
    req.once('end', () => { if (!over) resolve({ chunks: got, size: n }); });
    req.once('error', reject);
  });
  if (size === 0) return undefined;
  const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw new UnsupportedMediaTypeError(`Cannot read a request body of type "${type || 'none'}": expected application/json`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks, size));
  } catch {
    throw new BadRequestError('Cannot read the request body: it is not valid UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new BadRequestError(`Cannot read the request body: malformed JSON (${(err as Error).message})`);
  }
}

function drain(req: IncomingMessage): void {
  let n = 0;
  req.on('data', (c: Buffer) => { n += c.length; if (n > MAX_DRAIN) req.socket.destroy(); });
  req.resume();
}

/** Query parameters as a plain object; a repeated parameter is an error (one value each). */
export function queryOf(url: URL): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of url.searchParams) {
    if (k in out) throw new BadRequestError(`Invalid query: parameter "${k}" given twice`);
    out[k] = v;
  }
  return { ...out };
}
