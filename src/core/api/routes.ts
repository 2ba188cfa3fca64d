// The route table: one entry per operation with its schemas, used by the server to validate and by
// openapi.ts to describe. Handlers get validated input only.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { JournalQuery } from '../journal/index.js';
import type { ApiBackend } from './backend.js';
import { NotFoundError, UnavailableError } from './errors.js';
import * as s from './schemas.js';
import { serveEvents } from './sse.js';

export interface RouteContext {
  backend: ApiBackend;
  params: Record<string, string>;
  query: unknown;
  body: unknown;
  req: IncomingMessage;
  res: ServerResponse;
  /** Ends when the server closes (SSE streams stop). */
  closing: AbortSignal;
}

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** OpenAPI-style path, `{name}` segments. */
  path: string;
  summary: string;
  query?: z.ZodType;
  body?: z.ZodType;
  response: z.ZodType;
  /** Status of a success answer. */
  ok?: number;
  /** Handlers that stream write the response themselves and return undefined. */
  stream?: boolean;
  handle(c: RouteContext): Promise<unknown> | unknown;
}

const units = (csv: string | undefined): string[] | undefined => (csv ? csv.split(',').filter(Boolean) : undefined);

export function toJournalQuery(q: z.output<typeof s.journalQuery>): JournalQuery {
  const out: JournalQuery = {};
  const u = units(q.unit);
  if (u) out.unit = u;
  if (q.level) out.minLevel = q.level;
  if (q.since) out.since = /^\d+$/.test(q.since) ? Number(q.since) : q.since;
  if (q.until) out.until = /^\d+$/.test(q.until) ? Number(q.until) : q.until;
  if (q.grep) out.text = q.grep;
  if (q.afterSeq !== undefined) out.afterSeq = q.afterSeq;
  if (q.limit !== undefined) out.limit = q.limit;
  if (q.order) out.order = q.order;
  return out;
}

const needJournal = (b: ApiBackend) => {
  if (!b.journal) throw new UnavailableError('Cannot read the journal: dialogosd could not open it (see the console)');
  return b.journal;
};
const needGenerations = (b: ApiBackend) => {
  if (!b.generations) throw new UnavailableError('Cannot read generations: this dialogosd has no generation store');
  return b.generations;
};

export const ROUTES: Route[] = [
  { method: 'GET', path: '/v1/status', summary: 'Machine, generation and every unit', query: s.emptyQuery, response: s.statusBody, handle: (c) => c.backend.status() },
  { method: 'GET', path: '/v1/units', summary: 'Every unit\'s status', query: s.emptyQuery, response: s.unitsBody, handle: (c) => ({ units: c.backend.units() }) },
  { method: 'GET', path: '/v1/units/{name}', summary: 'One unit: status and applied spec', query: s.emptyQuery, response: s.unitBody, handle: (c) => c.backend.unit(c.params.name!) },
  ...s.unitAction.options.map((action): Route => ({
    method: 'POST', path: `/v1/units/{name}/${action}`, summary: `${action[0]!.toUpperCase()}${action.slice(1)} a service (optionally wait until it settles)`,
    query: s.emptyQuery, body: s.actionRequest.optional(), response: s.actionBody,
    handle: (c) => {
      const o = (c.body ?? s.actionRequest.parse({})) as z.output<typeof s.actionRequest>;
      return c.backend.action(c.params.name!, action, o);
    },
  })),
  { method: 'POST', path: '/v1/apply', summary: 'Add or replace specs; validated as a whole set, nothing changes on error', query: s.emptyQuery, body: s.applyRequest, response: s.applyBody,
    handle: (c) => { const b = c.body as z.output<typeof s.applyRequest>; return c.backend.apply(b.specs, b.dryRun, b.prune); } },
  { method: 'DELETE', path: '/v1/specs/{kind}/{name}', summary: 'Remove a machine spec and stop its unit (409 for a generation default or a unit others require)',
    query: s.removeQuery, response: s.applyBody,
    handle: (c) => c.backend.remove(c.params.kind!, c.params.name!, (c.query as z.output<typeof s.removeQuery>).dryRun === 'true') },
  { method: 'GET', path: '/v1/journal', summary: 'Query the journal', query: s.journalQuery, response: s.journalBody,
    handle: async (c) => ({ entries: await needJournal(c.backend).list(toJournalQuery(c.query as z.output<typeof s.journalQuery>)) }) },
  { method: 'GET', path: '/v1/events', summary: 'Server-sent events: `status` (UnitStatus) and `journal` (JournalEntry), live', query: s.eventsQuery,
    response: z.string().meta({ description: 'text/event-stream' }), stream: true,
    handle: (c) => serveEvents(c, c.query as z.output<typeof s.eventsQuery>) },
  { method: 'GET', path: '/v1/generations', summary: 'The generation store\'s state', query: s.emptyQuery, response: s.generationsBody,
    handle: async (c) => ({ state: await needGenerations(c.backend).state() }) },
  { method: 'GET', path: '/v1/generations/{id}', summary: 'One generation: state entry and manifest', query: s.emptyQuery, response: s.generationBody,
    handle: async (c) => ({ id: c.params.id!, ...(await needGenerations(c.backend).show(c.params.id!)) }) },
  { method: 'POST', path: '/v1/power', summary: 'Reboot or power off (refunds a running trial)', query: s.emptyQuery, body: s.powerRequest, response: s.powerBody, ok: 202,
    handle: (c) => c.backend.power((c.body as z.output<typeof s.powerRequest>).action) },
];

/** Finds the route for a path: the matching routes (any method) and the parameters. */
export function match(path: string): { routes: Route[]; params: Record<string, string> } {
  const parts = path.split('/');
  for (const r of ROUTES) {
    const rp = r.path.split('/');
    if (rp.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < rp.length && ok; i++) {
      const seg = rp[i]!;
      if (seg.startsWith('{')) {
        try {
          params[seg.slice(1, -1)] = decodeURIComponent(parts[i]!);
        } catch {
          ok = false;
        }
        if (!parts[i]) ok = false;
      } else ok = seg === parts[i];
    }
    if (ok) return { routes: ROUTES.filter((x) => x.path === r.path), params };
  }
  return { routes: [], params: {} };
}

export const notFound = (method: string, path: string): NotFoundError =>
  new NotFoundError(`Cannot ${method} "${path}": no such API route (see /v1/openapi.json)`);
