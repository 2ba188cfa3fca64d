// The question sets' checker: asks each question in a fresh dialog and checks the answer against the
// source itself (the cited file exists and declares, calls or contains the symbol; judge.ts) and against
// the API (unit states, journal lines), so accuracy is measured, not claimed. Scores top-1 and top-3 over
// an answer's citations in order, counts confident wrong answers and times every answer.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Dialog } from '../dialog.js';
import type { Answer, Citation, OsTools } from '../types.js';
import { declarationRanges, type LineRange } from './decl-range.js';
import { RANKED, isUnsure, judge, type Check, type Judge } from './judge.js';

export type { Check } from './judge.js';

/** One question; `subsystem` and `flow` (how something flows: its callers or callees) label the plain set's. */
export interface Question { q: string; check: Check; subsystem?: string; flow?: 'callers' | 'callees' }
export interface EvalResult {
  q: string; kind: string; ok: boolean | null; why: string; mode: string;
  /** The first citation satisfies the check (ranked checks); the answer as a whole for the others. */
  top1?: boolean | null;
  /** One of the first three citations does. */
  top3?: boolean | null;
  /** Wrong, with citations, and not marked unsure (closest matches, a clarifying question, not found). */
  confidentWrong?: boolean;
  /** Wall time of the answer in ms. */
  ms?: number;
  subsystem?: string;
}
export interface EvalReport {
  total: number; asked: number; passed: number; skipped: number; accuracy: number; modes: string[]; results: EvalResult[];
  /** Fractions of the asked questions. */
  top1: number; top3: number;
  confidentWrong: number; confidentWrongRate: number;
  latencyMs: { p50: number; p99: number; max: number };
}

/** The question sets shipped with the source: `questions` (names symbols) and `plain` (plain words, held out). */
export const QUESTION_SETS = { questions: 'src/dialog/eval/questions.json', plain: 'src/dialog/eval/plain-questions.json' } as const;
export type QuestionSet = keyof typeof QUESTION_SETS;

/** A question set shipped with the source at `root` (default: the first one). */
export async function loadQuestions(root: string, set: QuestionSet = 'questions'): Promise<Question[]> {
  return (JSON.parse(await readFile(join(root, QUESTION_SETS[set]), 'utf8')) as { questions: Question[] }).questions;
}

/** The `p`-th percentile (0-100) of `xs`, nearest rank; 0 for none. */
export function percentile(xs: number[], p: number): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** Reads the files under `root` once each, for the checks. */
export function sourceJudge(root: string, os: OsTools | null): Omit<Judge, 'before'> {
  const lines = new Map<string, Promise<string[] | null>>();
  const ranges = new Map<string, Promise<LineRange[]>>();
  const fileLines = (p: string): Promise<string[] | null> => {
    if (!lines.has(p)) lines.set(p, readFile(join(root, p), 'utf8').then((t) => t.split('\n'), () => null));
    return lines.get(p)!;
  };
  return {
    fileLines, os,
    async lineHas(c: Citation, re: RegExp, slack = 0): Promise<boolean> {
      const ls = await fileLines(c.path);
      if (!ls) return false;
      for (let i = Math.max(0, c.line - 1 - slack); i <= Math.min(ls.length - 1, c.line - 1 + slack); i++) if (re.test(ls[i]!)) return true;
      return false;
    },
    ranges(path: string, symbol: string): Promise<LineRange[]> {
      const key = `${path}#${symbol}`;
      if (!ranges.has(key)) ranges.set(key, fileLines(path).then((ls) => (ls ? declarationRanges(path, ls.join('\n'), symbol) : [])));
      return ranges.get(key)!;
    },
  };
}

/** Judges one answer: ok, top-1, top-3, confidently wrong. */
export async function score(c: Check, a: Answer, j: Judge): Promise<Pick<EvalResult, 'ok' | 'why' | 'top1' | 'top3' | 'confidentWrong'>> {
  const [ok, why] = await judge(c, a, j);
  const ranked = RANKED.has(c.kind);
  const topK = async (k: number): Promise<boolean> => (ranked ? (await judge(c, { ...a, citations: a.citations.slice(0, k) }, j))[0] : ok);
  const top1 = await topK(1);
  const top3 = await topK(3);
  return { ok, why, top1, top3, confidentWrong: !ok && a.citations.length > 0 && !isUnsure(a) };
}

/**
 * Asks every question (a fresh dialog each, from `make`) and checks it. Questions about units are
 * skipped (ok null) without `os`, or when the units of eval/specs.json are not applied there.
 */
export async function runEval(o: { root: string; make: () => Dialog; os: OsTools | null; questions?: Question[]; set?: QuestionSet; onResult?: (r: EvalResult) => void }): Promise<EvalReport> {
  const qs = o.questions ?? (await loadQuestions(o.root, o.set));
  const src = sourceJudge(o.root, o.os);
  const units = o.os ? await o.os.units().then((u) => u, () => null) : null;
  const results: EvalResult[] = [];
  for (const item of qs) {
    const c = item.check;
    const sub = item.subsystem ? { subsystem: item.subsystem } : {};
    const needs = 'unit' in c ? c.unit : c.kind === 'units' ? '' : null;
    if (needs !== null && (!units || (needs && !units.some((u) => u.name === needs)))) {
      const r = { q: item.q, kind: c.kind, ok: null, why: units ? `unit "${needs}" is not applied (see src/dialog/eval/specs.json)` : 'no dialogosd to ask', mode: '-', ...sub };
      results.push(r); o.onResult?.(r);
      continue;
    }
    const before = 'unit' in c && o.os ? (await o.os.unit(c.unit)).status.state : null;
    const t0 = performance.now();
    const a = await o.make().handle(item.q);
    const ms = performance.now() - t0;
    const r = { q: item.q, kind: c.kind, mode: a.mode, ms, ...sub, ...(await score(c, a, { ...src, before })) };
    results.push(r); o.onResult?.(r);
  }
  return summarize(qs.length, results);
}

/** The report's figures from the results. */
export function summarize(total: number, results: EvalResult[]): EvalReport {
  const asked = results.filter((r) => r.ok !== null);
  const n = asked.length;
  const frac = (k: number): number => (n ? k / n : 0);
  const passed = asked.filter((r) => r.ok).length;
  const wrong = asked.filter((r) => r.confidentWrong).length;
  const ms = asked.map((r) => r.ms ?? 0);
  return {
    total, asked: n, passed, skipped: total - n, accuracy: frac(passed),
    modes: [...new Set(asked.map((r) => r.mode))], results,
    top1: frac(asked.filter((r) => r.top1).length), top3: frac(asked.filter((r) => r.top3).length),
    confidentWrong: wrong, confidentWrongRate: frac(wrong),
    latencyMs: { p50: percentile(ms, 50), p99: percentile(ms, 99), max: ms.length ? Math.max(...ms) : 0 },
  };
}
