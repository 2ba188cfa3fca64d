// The API's side of the HTTP plumbing (src/std/http.ts): its body limit, its error envelope and classes.
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { readJsonBody, type BodyErrors } from '../../std/index.js';
import { ApiError, BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from './errors.js';

/** Bodies above this are refused with 413 (a spec set is a few KiB; 1 MiB is generous). */
export const MAX_BODY_BYTES = 1024 * 1024;

const BODY_ERRORS: BodyErrors = {
  tooLarge: (size, max) => new PayloadTooLargeError(size === null
    ? `Cannot accept the request body: more than the ${max} bytes allowed`
    : `Cannot accept the request body: ${size} bytes is more than the ${max} allowed`),
  unsupportedType: (type) => new UnsupportedMediaTypeError(`Cannot read a request body of type "${type || 'none'}": expected application/json`),
  notUtf8: () => new BadRequestError('Cannot read the request body: it is not valid UTF-8'),
  notJson: (err) => new BadRequestError(`Cannot read the request body: malformed JSON (${err.message})`),
};

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
export function readJson(req: IncomingMessage, max = MAX_BODY_BYTES): Promise<unknown> {
  return readJsonBody(req, { maxBytes: max, acceptsType: (type) => type === 'application/json', errors: BODY_ERRORS });
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
