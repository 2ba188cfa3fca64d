// The check kinds of plain-question sets (plain-dev.json): a question is right at rank r when the r-th of
// the answer's first three citations lies inside the named symbol's declaration; a vague question is
// right when the answer does not claim to be sure. A sure answer that misses is counted as a confident wrong.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dialog } from '../dialog.js';
import type { Answer } from '../types.js';

export type PlainCheck = { kind: 'inside'; symbol: string; path?: string } | { kind: 'vague' };
export interface PlainQuestion { q: string; check: PlainCheck }

/** Where a symbol is declared, first to last line (from the code index, which knows where bodies end). */
export type RangesOf = (symbol: string) => Promise<Array<{ path: string; line: number; endLine: number }>>;

export interface PlainResult {
  q: string;
  /** 1-3: the rank of the first citation inside the symbol; null: none of the first three; 0: a vague question. */
  rank: number | null;
  ok: boolean;
  confidence: Answer['confidence'] | 'none';
  /** Claimed sure and wrong (or sure about a vague question). */
  confidentWrong: boolean;
  cited: string[];
}

export interface PlainReport { total: number; top1: number; top3: number; vagueOk: number; vague: number; confidentWrong: number; sure: number; results: PlainResult[] }

export async function loadPlainQuestions(root: string, file = 'src/dialog/eval/plain-dev.json'): Promise<PlainQuestion[]> {
  return (JSON.parse(await readFile(join(root, file), 'utf8')) as { questions: PlainQuestion[] }).questions;
}

/** Judges one answer against its check. */
export async function judgePlain(item: PlainQuestion, a: Answer, ranges: RangesOf): Promise<PlainResult> {
  const cited = a.citations.slice(0, 3).map((c) => `${c.path}:${c.line}`);
  const confidence = a.confidence ?? 'none';
  if (item.check.kind === 'vague') {
    return { q: item.q, rank: 0, ok: confidence !== 'sure', confidence, confidentWrong: confidence === 'sure', cited };
  }
  const { path } = item.check;
  const rs = (await ranges(item.check.symbol)).filter((r) => !path || r.path.startsWith(path));
  const i = a.citations.slice(0, 3).findIndex((c) => rs.some((r) => r.path === c.path && c.line >= r.line && c.line <= r.endLine));
  const rank = i < 0 ? null : i + 1;
  return { q: item.q, rank, ok: rank !== null, confidence, confidentWrong: confidence === 'sure' && rank !== 1, cited };
}

/** Asks every question in a fresh dialog and sums up top-1, top-3, vague handling and confident wrongs. */
export async function runPlainSet(o: { questions: PlainQuestion[]; make: () => Dialog; ranges: RangesOf; onResult?: (r: PlainResult) => void }): Promise<PlainReport> {
  const results: PlainResult[] = [];
  for (const item of o.questions) {
    const r = await judgePlain(item, await o.make().handle(item.q), o.ranges);
    results.push(r);
    o.onResult?.(r);
  }
  const located = results.filter((r) => r.rank !== 0);
  return {
    total: located.length,
    top1: located.filter((r) => r.rank === 1).length,
    top3: located.filter((r) => r.rank !== null).length,
    vague: results.length - located.length,
    vagueOk: results.filter((r) => r.rank === 0 && r.ok).length,
    confidentWrong: results.filter((r) => r.confidentWrong).length,
    sure: results.filter((r) => r.confidence === 'sure').length,
    results,
  };
}
