// Judging one answer against one check of a question set, on the source itself (the cited file exists and
// declares, calls or contains the symbol) and on the API (unit states, journal lines): accuracy is
// measured, not claimed. Also how sure an answer says it is, for the count of confident wrong answers.
import type { Answer, Citation, OsTools } from '../types.js';
import type { LineRange } from './decl-range.js';

/** The cited line lies inside the declaration of `symbol` in the file `path` (or of any of `any`). */
export interface InsideTarget { symbol: string; path: string }

export type Check =
  | { kind: 'defines'; symbol: string; path?: string }
  | { kind: 'callers'; symbol: string }
  | { kind: 'module'; path: string }
  | { kind: 'tests'; symbol: string }
  | { kind: 'mentions'; symbol: string }
  | ({ kind: 'inside' } & (InsideTarget | { any: InsideTarget[] }))
  | { kind: 'units' }
  | { kind: 'unit' | 'why' | 'confirm'; unit: string }
  | { kind: 'clarify' | 'unknown' | 'honest' }
  | { kind: 'refuse'; word: string };

/** What judging may read: lines of source files, declaration ranges, the OS. */
export interface Judge {
  lineHas(c: Citation, re: RegExp, slack?: number): Promise<boolean>;
  fileLines(p: string): Promise<string[] | null>;
  /** Line ranges of the declarations of `symbol` in `path` (empty when there is none or no such file). */
  ranges(path: string, symbol: string): Promise<LineRange[]>;
  os: OsTools | null;
  before: string | null;
}

/** Checks whose answer is a ranked list of citations: top-1 and top-3 judge the first one and the first three. */
export const RANKED = new Set(['defines', 'callers', 'module', 'tests', 'mentions', 'inside']);

/** The targets of an inside check, one or several. */
export function insideTargets(c: Extract<Check, { kind: 'inside' }>): InsideTarget[] {
  return 'any' in c ? c.any : [{ symbol: c.symbol, path: c.path }];
}

/**
 * Whether an answer says it is unsure: a confidence field when the Answer type carries one (it does not
 * today), else its words: closest matches, a clarifying question, not understood, nothing found.
 */
export function isUnsure(a: Answer): boolean {
  // The answer's own claim decides where it makes one; older answers carry it only in their wording.
  if (a.confidence !== undefined) return a.confidence === 'closest';
  return /closest (text )?match|not sure|unsure|no exact match|which one do you mean|did not understand|\bno\b[^.\n]{0,60}\bfound\b|not found|found nothing|could not find/i.test(a.answer);
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const where = (cites: Citation[]): string => cites.map((x) => `${x.path}:${x.line}`).join(', ') || 'none';

async function inside(c: Extract<Check, { kind: 'inside' }>, cites: Citation[], j: Judge): Promise<[boolean, string]> {
  const targets = insideTargets(c);
  for (const x of cites) {
    for (const t of targets) {
      if (x.path !== t.path) continue;
      const r = (await j.ranges(t.path, t.symbol)).find((r) => r.from <= x.line && x.line <= r.to);
      if (r) return [true, `${x.path}:${x.line} is inside ${t.symbol} (lines ${r.from}-${r.to})`];
    }
  }
  return [false, `no citation inside ${targets.map((t) => `${t.path}#${t.symbol}`).join(' or ')}: ${where(cites)}`];
}

/** Judges `a` against `c`; `[ok, why]`. */
export async function judge(c: Check, a: Answer, j: Judge): Promise<[boolean, string]> {
  const cites = a.citations;
  switch (c.kind) {
    case 'defines': {
      const decl = new RegExp(`\\b(function\\*?|class|interface|type|enum|const|let|var)\\s+${escape(c.symbol)}\\b|^\\s+(?:async\\s+)?${escape(c.symbol)}\\s*\\(`);
      for (const x of cites) if ((!c.path || x.path.startsWith(c.path)) && (await j.lineHas(x, decl, 1))) return [true, `${x.path}:${x.line} declares ${c.symbol}`];
      return [false, `no citation declares ${c.symbol}${c.path ? ` under ${c.path}` : ''}: ${where(cites)}`];
    }
    case 'inside': return inside(c, cites, j);
    case 'callers': {
      if (!cites.length) return [false, 'no citation'];
      const call = new RegExp(`\\b${escape(c.symbol)}\\s*(<[^>]*>)?\\(`);
      for (const x of cites) if (!(await j.lineHas(x, call))) return [false, `${x.path}:${x.line} does not call ${c.symbol}`];
      return [true, `${cites.length} cited lines each call ${c.symbol}`];
    }
    case 'module': {
      const hit = cites.find((x) => x.path.startsWith(c.path));
      return hit && (await j.fileLines(hit.path)) ? [true, `cites ${hit.path}:${hit.line}`] : [false, `does not cite ${c.path}: ${a.answer.slice(0, 120)}`];
    }
    case 'tests': {
      const word = new RegExp(`\\b${escape(c.symbol)}\\b`);
      const good = [];
      for (const x of cites) if (x.path.endsWith('.test.ts') && ((await j.fileLines(x.path)) ?? []).some((l) => word.test(l))) good.push(x);
      return good.length && good.length === cites.length
        ? [true, `${good.length} test files mention ${c.symbol}`]
        : [false, `cited ${cites.length}, of which ${good.length} test files mention ${c.symbol}`];
    }
    case 'mentions': {
      // A free-form answer is right when one of its citations lands within 15 lines of the symbol.
      const word = new RegExp(`\\b${escape(c.symbol)}\\b`);
      for (const x of cites) if (await j.lineHas(x, word, 15)) return [true, `${x.path}:${x.line} is at ${c.symbol}`];
      return [false, `no citation near ${c.symbol}: ${where(cites)}`];
    }
    default: return judgeState(c, a, j);
  }
}

/** The checks on the machine's state and on the answer's own words. */
async function judgeState(c: Check, a: Answer, j: Judge): Promise<[boolean, string]> {
  const cites = a.citations;
  switch (c.kind) {
    case 'units': {
      const us = await j.os!.units();
      const missing = us.filter((u) => !new RegExp(`\\b${escape(u.name)}\\b[^\\n]*\\b${escape(u.state)}\\b`).test(a.answer));
      return missing.length ? [false, `units not shown with their API state: ${missing.map((u) => `${u.name}=${u.state}`).join(', ')}`] : [true, `${us.length} units match the API`];
    }
    case 'unit': {
      const s = (await j.os!.unit(c.unit)).status;
      return a.answer.includes(`${s.name} (${s.kind}): ${s.state}`)
        ? [true, `${c.unit} is ${s.state}, as the API says`]
        : [false, `API says ${c.unit} is ${s.state}; answer: ${a.answer.slice(0, 120)}`];
    }
    case 'why': {
      const seqs = (await j.os!.journal({ unit: c.unit, limit: 50 })).map((e) => e.seq);
      const quoted = [...a.answer.matchAll(/seq (\d+)/g)].map((m) => Number(m[1]));
      return quoted.length && quoted.every((s) => seqs.includes(s))
        ? [true, `quotes ${quoted.length} journal lines of ${c.unit}`]
        : [false, `quoted seqs ${quoted.join(',') || 'none'} not all journal lines of ${c.unit}`];
    }
    case 'confirm': {
      const after = (await j.os!.unit(c.unit)).status.state;
      return a.pending && after === j.before ? [true, `asks first (${a.pending.call}); ${c.unit} still ${after}`] : [false, `pending ${Boolean(a.pending)}, state ${j.before} -> ${after}`];
    }
    case 'clarify': return /which one/i.test(a.answer) && cites.length > 1 ? [true, `asks which of ${cites.length}`] : [false, 'no clarifying question'];
    case 'unknown': return /did not understand/i.test(a.answer) && /help/.test(a.answer) ? [true, 'says so and suggests help'] : [false, a.answer.slice(0, 120)];
    // Ambiguous or out of scope: a clarifying question or an honest not-found (nearest places allowed), never a sure answer.
    case 'honest': return isUnsure(a) ? [true, `says it is unsure: ${a.answer.slice(0, 80)}`] : [false, `answers as if sure: ${a.answer.slice(0, 120)}`];
    case 'refuse': return a.answer.toLowerCase().includes(c.word) ? [true, `refused (${c.word})`] : [false, a.answer.slice(0, 120)];
    default: return [false, `unknown check kind "${(c as { kind: string }).kind}"`];
  }
}
