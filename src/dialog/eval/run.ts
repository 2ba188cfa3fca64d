// The question set's checker: asks each question in a fresh dialog and checks the answer against the
// source itself (the cited file exists and declares or calls the symbol) and against the API (unit
// states, journal lines), so accuracy is measured, not claimed.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dialog } from '../dialog.js';
import type { Answer, Citation, OsTools } from '../types.js';

type Check =
  | { kind: 'defines'; symbol: string; path?: string }
  | { kind: 'callers'; symbol: string }
  | { kind: 'module'; path: string }
  | { kind: 'tests'; symbol: string }
  | { kind: 'mentions'; symbol: string }
  | { kind: 'units' }
  | { kind: 'unit' | 'why' | 'confirm'; unit: string }
  | { kind: 'clarify' | 'unknown' }
  | { kind: 'refuse'; word: string };

export interface Question { q: string; check: Check }
export interface EvalResult { q: string; kind: string; ok: boolean | null; why: string; mode: string }
export interface EvalReport { total: number; asked: number; passed: number; skipped: number; accuracy: number; modes: string[]; results: EvalResult[] }

/** The question set shipped with the source at `root`. */
export async function loadQuestions(root: string): Promise<Question[]> {
  return (JSON.parse(await readFile(join(root, 'src/dialog/eval/questions.json'), 'utf8')) as { questions: Question[] }).questions;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Asks every question (a fresh dialog each, from `make`) and checks it. Questions about units are
 * skipped (ok null) without `os`, or when the units of eval/specs.json are not applied there.
 */
export async function runEval(o: { root: string; make: () => Dialog; os: OsTools | null; questions?: Question[]; onResult?: (r: EvalResult) => void }): Promise<EvalReport> {
  const qs = o.questions ?? (await loadQuestions(o.root));
  const lines = new Map<string, string[] | null>();
  const fileLines = async (p: string): Promise<string[] | null> => {
    if (!lines.has(p)) lines.set(p, await readFile(join(o.root, p), 'utf8').then((t) => t.split('\n'), () => null));
    return lines.get(p)!;
  };
  const lineHas = async (c: Citation, re: RegExp, slack = 0): Promise<boolean> => {
    const ls = await fileLines(c.path);
    if (!ls) return false;
    for (let i = Math.max(0, c.line - 1 - slack); i <= Math.min(ls.length - 1, c.line - 1 + slack); i++) if (re.test(ls[i]!)) return true;
    return false;
  };
  const units = o.os ? await o.os.units().then((u) => u, () => null) : null;
  const results: EvalResult[] = [];
  for (const item of qs) {
    const c = item.check;
    const needs = 'unit' in c ? c.unit : c.kind === 'units' ? '' : null;
    if (needs !== null && (!units || (needs && !units.some((u) => u.name === needs)))) {
      const r = { q: item.q, kind: c.kind, ok: null, why: units ? `unit "${needs}" is not applied (see src/dialog/eval/specs.json)` : 'no dialogosd to ask', mode: '-' };
      results.push(r); o.onResult?.(r);
      continue;
    }
    const before = 'unit' in c && o.os ? (await o.os.unit(c.unit)).status.state : null;
    const a = await o.make().handle(item.q);
    const [ok, why] = await judge(c, a, { lineHas, fileLines, os: o.os, before });
    const r = { q: item.q, kind: c.kind, ok, why, mode: a.mode };
    results.push(r); o.onResult?.(r);
  }
  const asked = results.filter((r) => r.ok !== null);
  const passed = asked.filter((r) => r.ok).length;
  return {
    total: qs.length, asked: asked.length, passed, skipped: qs.length - asked.length, accuracy: asked.length ? passed / asked.length : 0,
    modes: [...new Set(asked.map((r) => r.mode))], results,
  };
}

interface Judge {
  lineHas(c: Citation, re: RegExp, slack?: number): Promise<boolean>;
  fileLines(p: string): Promise<string[] | null>;
  os: OsTools | null;
  before: string | null;
}

async function judge(c: Check, a: Answer, j: Judge): Promise<[boolean, string]> {
  const cites = a.citations;
  switch (c.kind) {
    case 'defines': {
      const decl = new RegExp(`\\b(function\\*?|class|interface|type|enum|const|let|var)\\s+${escape(c.symbol)}\\b|^\\s+(?:async\\s+)?${escape(c.symbol)}\\s*\\(`);
      for (const x of cites) if ((!c.path || x.path.startsWith(c.path)) && (await j.lineHas(x, decl, 1))) return [true, `${x.path}:${x.line} declares ${c.symbol}`];
      return [false, `no citation declares ${c.symbol}${c.path ? ` under ${c.path}` : ''}: ${cites.map((x) => `${x.path}:${x.line}`).join(', ') || 'none'}`];
    }
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
      return [false, `no citation near ${c.symbol}: ${cites.map((x) => `${x.path}:${x.line}`).join(', ') || 'none'}`];
    }
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
    case 'refuse': return a.answer.toLowerCase().includes(c.word) ? [true, `refused (${c.word})`] : [false, a.answer.slice(0, 120)];
  }
}
