// The API described as zod schemas: the server validates every body and query with them, clients can
// import the inferred types, and openapi.ts turns them into the OpenAPI document.
import { z } from 'zod';

export const API_VERSION = 'v1';

export const errorBody = z.object({
  error: z.object({
    name: z.string(),
    message: z.string(),
    /** SpecValidationError: every problem found; BadRequestError: the zod issues. */
    issues: z.array(z.object({ path: z.string(), message: z.string(), file: z.string().optional(), unit: z.string().optional() })).optional(),
  }),
}).meta({ id: 'Error' });

const unitState = z.enum(['inactive', 'starting', 'ready', 'running', 'stopping', 'failed', 'crash-loop', 'unsupported']);
const limitValues = z.object({ cpuMax: z.string().optional(), memoryBytes: z.number().optional(), pids: z.number().optional() });
export const unitStatus = z.object({
  kind: z.enum(['service', 'mount', 'network', 'time', 'entropy']),
  name: z.string(),
  state: unitState,
  reason: z.string(),
  enabled: z.boolean(),
  pid: z.number().int().nullable(),
  since: z.string(),
  restarts: z.number().int(),
  lastExit: z.object({ code: z.number().int().nullable(), signal: z.string().nullable(), oom: z.boolean(), at: z.string() }).nullable(),
  limits: z.object({
    mode: z.string(),
    applied: limitValues,
    unsupported: z.array(z.object({ limit: z.string(), reason: z.string() })),
  }).nullable(),
}).meta({ id: 'UnitStatus' });

export const phase = z.enum(['booting', 'starting', 'running', 'stopping', 'failed']);
export const statusBody = z.object({
  machine: z.object({
    hostname: z.string(), mode: z.enum(['machine', 'host']), instance: z.string(), state: z.string().nullable(),
    pid: z.number().int(), startedAt: z.string(), uptimeMs: z.number(), cgroups: z.string(), apiVersion: z.string(),
    /** Where the API listens: the unix socket, and `host:port` when TCP is on. */
    api: z.object({ socket: z.string(), tcp: z.string().nullable() }),
  }),
  phase,
  /** Why the phase is what it is. */
  reason: z.string(),
  generation: z.object({ id: z.string(), trial: z.boolean(), outcome: z.string() }).nullable(),
  services: z.array(unitStatus),
  journal: z.object({ dir: z.string(), lastSeq: z.number(), durableSeq: z.number(), storedBytes: z.number() }).nullable(),
}).meta({ id: 'Status' });

export const unitsBody = z.object({ units: z.array(unitStatus) });
export const unitBody = z.object({ status: unitStatus, spec: z.record(z.string(), z.unknown()).nullable() }).meta({ id: 'Unit' });

/** Start/stop/restart/enable/disable: optionally wait until the unit settles. */
export const actionRequest = z.strictObject({
  wait: z.boolean().default(false),
  timeoutMs: z.number().int().min(0).max(600_000).default(30_000),
});
export const actionBody = z.object({ action: z.string(), status: unitStatus, settled: z.boolean() });
export const unitAction = z.enum(['start', 'stop', 'restart', 'enable', 'disable']);

export const applyRequest = z.strictObject({
  /** Specs to add or replace (by kind and name) in the machine's spec directory. */
  specs: z.array(z.unknown()).min(1).max(1000),
  /** Validate only. */
  dryRun: z.boolean().default(false),
  /** Also remove every machine spec (in /data) not among `specs`; generation defaults stay. */
  prune: z.boolean().default(false),
}).meta({ id: 'ApplyRequest' });
export const removeQuery = z.strictObject({
  /** Validate only. */
  dryRun: z.enum(['true', 'false']).optional(),
});
export const applyBody = z.object({
  dryRun: z.boolean(),
  added: z.array(z.string()), changed: z.array(z.string()), removed: z.array(z.string()), unchanged: z.array(z.string()),
  files: z.array(z.string()),
}).meta({ id: 'ApplyResult' });

const level = z.enum(['debug', 'info', 'notice', 'warn', 'error', 'crit']);
const intString = (max: number) => z.string().regex(/^\d{1,9}$/, 'expected a non-negative integer').transform(Number).pipe(z.number().int().min(0).max(max));
export const journalEntry = z.object({
  seq: z.number().int(), time: z.string(), unit: z.string(), level, message: z.string(), fields: z.record(z.string(), z.string()),
}).meta({ id: 'JournalEntry' });
export const journalQuery = z.strictObject({
  unit: z.string().max(4096).optional().describe('comma-separated unit names'),
  level: level.optional().describe('this level and above'),
  since: z.string().max(64).optional().describe('ISO time, epoch ms, or relative: -10m, 1h'),
  until: z.string().max(64).optional(),
  grep: z.string().max(1024).optional().describe('case-insensitive text in the message or a field'),
  afterSeq: intString(Number.MAX_SAFE_INTEGER).optional(),
  limit: intString(100_000).optional(),
  order: z.enum(['asc', 'desc']).optional(),
});
export const journalBody = z.object({ entries: z.array(journalEntry) });

export const eventsQuery = z.strictObject({
  unit: z.string().max(4096).optional().describe('comma-separated unit names'),
  level: level.optional(),
  grep: z.string().max(1024).optional(),
  /** Which streams: "status,journal" by default. */
  streams: z.string().regex(/^(status|journal)(,(status|journal))?$/, 'expected "status", "journal" or "status,journal"').optional(),
  backlog: intString(100_000).optional().describe('the newest N matching journal entries first (default 0; with since, 100000)'),
  since: z.string().max(64).optional().describe('journal entries from this time: ISO, epoch ms, relative (-10m)'),
  until: z.string().max(64).optional().describe('journal entries up to this time; the stream ends (event "end") once it has passed'),
});

export const powerRequest = z.strictObject({ action: z.enum(['reboot', 'poweroff']) }).meta({ id: 'PowerRequest' });
export const powerBody = z.object({ action: z.enum(['reboot', 'poweroff']), generation: z.string().nullable(), refunded: z.boolean() });

export const generationsBody = z.object({ state: z.record(z.string(), z.unknown()) }).meta({ id: 'Generations' });
export const generationBody = z.object({ id: z.string(), entry: z.record(z.string(), z.unknown()), manifest: z.unknown().nullable() });

export const emptyQuery = z.strictObject({});

export type StatusBody = z.output<typeof statusBody>;
export type UnitStatusBody = z.output<typeof unitStatus>;
export type JournalEntryBody = z.output<typeof journalEntry>;
export type ApplyRequest = z.input<typeof applyRequest>;
export type ApplyBody = z.output<typeof applyBody>;
export type ActionBody = z.output<typeof actionBody>;
export type PowerBody = z.output<typeof powerBody>;
export type ErrorBody = z.output<typeof errorBody>;
export type JournalQueryParams = z.input<typeof journalQuery>;
export type EventsQueryParams = z.input<typeof eventsQuery>;
