// The llm API's side of the HTTP plumbing (src/std/http.ts): its body limit, OpenAI-shaped errors, and the
// error that ends a stream already under way.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJsonBody, sendJson, writeSse, type BodyErrors } from '../../std/index.js';
import { InvalidRequestError, LlmError, QueueFullError } from '../errors.js';

export { sendJson, startSse, writeSse } from '../../std/index.js';

export const MAX_BODY = 16 * 1024 * 1024;

export class RequestTooLargeError extends LlmError {
  override name = 'RequestTooLargeError';
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

const BODY_ERRORS: BodyErrors = {
  tooLarge: (size, max) => new RequestTooLargeError(`The request body is ${size === null ? `more than ${max}` : size} bytes; the limit is ${max}`),
  unsupportedType: (_type, header) => new InvalidRequestError(`Unsupported Content-Type "${header}": send application/json`, { code: 'unsupported_media_type' }),
  notUtf8: () => new InvalidRequestError('The request body is not valid UTF-8 (binary data?): send a JSON object', { code: 'invalid_json' }),
  notJson: (err) => new InvalidRequestError(`We could not parse the JSON body of your request: ${err.message}`, { code: 'invalid_json' }),
};

/** Reads a JSON body (≤ 16 MiB); a larger one is drained so the client still reads the 413. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const body = await readJsonBody(req, {
    maxBytes: MAX_BODY, errors: BODY_ERRORS,
    // No Content-Type is taken as JSON, as OpenAI's clients expect; "+json" types too.
    acceptsType: (_type, header) => header === '' || /^application\/json\b|\+json\b/i.test(header),
  });
  if (body === undefined) throw new InvalidRequestError('The request body is empty: send a JSON object', { code: 'invalid_json' });
  return body;
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
    if (writeSse(res, e.body)) res.end();
    return;
  }
  sendJson(res, e.status, e.body, e.headers);
}
