// Query bounds turned into one predicate. Time specs accept what an operator types after
// `dialogos logs --since`: an ISO date, `now`, or a relative span (`10m`, `-10m` = ago, `+10m` = ahead).
import { JournalQueryError } from './errors.js';
import { isLevel, levelRank, type JournalEntry, type JournalQuery, type TimePoint } from './types.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 604800e3 };
const RELATIVE = /^([+-]?)(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;
const ISO_START = /^\d{4}-\d{2}-\d{2}/;

/**
 * Epoch milliseconds of a time spec, relative to `now`.
 * @throws JournalQueryError for anything else
 */
export function parseTime(spec: TimePoint, now: number): number {
  if (spec instanceof Date) {
    if (Number.isNaN(spec.getTime())) throw new JournalQueryError('Cannot use time: the Date is invalid');
    return spec.getTime();
  }
  if (typeof spec === 'number') {
    if (!Number.isFinite(spec)) throw new JournalQueryError(`Cannot use time "${spec}": not a finite number of epoch milliseconds`);
    return spec;
  }
  const s = String(spec).trim();
  if (s === 'now') return now;
  const r = RELATIVE.exec(s);
  if (r) return now + (r[1] === '+' ? 1 : -1) * Number(r[2]) * UNIT_MS[r[3]!]!;
  const t = ISO_START.test(s) ? Date.parse(s) : NaN;
  if (Number.isNaN(t)) {
    throw new JournalQueryError(
      `Cannot parse time "${s}": expected an ISO date (2026-11-26T10:00:00Z), a relative span (10m, -1h, 2d) or "now"`,
    );
  }
  return t;
}

export interface CompiledQuery {
  since: number;
  until: number;
  afterSeq: number;
  limit: number;
  order: 'asc' | 'desc';
  matches(e: JournalEntry): boolean;
}

/**
 * Validates a query and compiles its predicate.
 * @throws JournalQueryError for a bad level, time, limit or order
 */
export function compileQuery(q: JournalQuery, now: number): CompiledQuery {
  const units = q.unit === undefined ? undefined : new Set(Array.isArray(q.unit) ? q.unit : [q.unit]);
  if (q.minLevel !== undefined && !isLevel(q.minLevel)) {
    throw new JournalQueryError(`Cannot filter by level "${String(q.minLevel)}": expected debug, info, notice, warn, error or crit`);
  }
  const minRank = q.minLevel === undefined ? 0 : levelRank(q.minLevel);
  const since = q.since === undefined ? -Infinity : parseTime(q.since, now);
  const until = q.until === undefined ? Infinity : parseTime(q.until, now);
  const limit = q.limit ?? Infinity;
  if (limit !== Infinity && (!Number.isInteger(limit) || limit < 0)) {
    throw new JournalQueryError(`Cannot use limit "${String(q.limit)}": expected a whole number of entries, 0 or more`);
  }
  const order = q.order ?? 'asc';
  if (order !== 'asc' && order !== 'desc') throw new JournalQueryError(`Cannot use order "${String(order)}": expected asc or desc`);
  const afterSeq = q.afterSeq ?? -Infinity;
  const text = q.text === undefined || q.text === '' ? undefined : q.text.toLowerCase();
  const matches = (e: JournalEntry): boolean => {
    if (e.seq <= afterSeq) return false;
    if (units && !units.has(e.unit)) return false;
    if (minRank > 0 && levelRank(e.level) < minRank) return false;
    if (since !== -Infinity || until !== Infinity) {
      const t = Date.parse(e.time);
      if (!(t >= since && t <= until)) return false;
    }
    if (text === undefined) return true;
    if (e.message.toLowerCase().includes(text)) return true;
    return Object.values(e.fields).some((v) => v.toLowerCase().includes(text));
  };
  return { since, until, afterSeq, limit, order, matches };
}
