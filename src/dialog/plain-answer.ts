// Answers to plain questions about the code in retrieval mode: the best one to three places with
// path:line, signature and first doc line, the callers and callees when the question asks how something
// flows, and an honest confidence. Nothing is written that the catalog does not hold.
import type { CatalogEntry } from './catalog.js';
import { buildPlainIndex, type PlainIndex, type Ranked } from './plain-index.js';
import { rerank } from './plain-rerank.js';
import type { Citation, CodeTools } from './types.js';

export type Confidence = 'sure' | 'closest';

export interface PlainResult {
  text: string;
  citations: Citation[];
  /** sure: one place stands out and holds the question's words; closest: the nearest places, unsure. */
  confidence: Confidence | 'none';
  /** Set when the question is too vague: the places to choose from. */
  choices?: CatalogEntry[];
}

const indexes = new WeakMap<CodeTools, Promise<PlainIndex | null>>();

/** The plain index of a CodeTools, built once (null when it offers no catalog). */
export function plainIndexOf(code: CodeTools): Promise<PlainIndex | null> {
  let p = indexes.get(code);
  if (!p) {
    p = code.catalog ? code.catalog().then(buildPlainIndex) : Promise.resolve(null);
    indexes.set(code, p);
  }
  return p;
}

/** A question asks how something flows: then its callers and callees are part of the answer. */
export const asksFlow = (q: string): boolean =>
  /\bhow\b.*\b(?:flows?|works?|gets?|happens?|reach(?:es)?|goes|travels?|pass(?:es)?|handled|processed|called|wired|runs?)\b|\bwhat happens\b|\bflow\b/i.test(q);

const SURE_COVERAGE = 0.75;
const SURE_MARGIN = 1.3;
const FOUND_COVERAGE = 0.5;
const STRONG_COVERAGE = 0.5;

const firstLine = (doc: string | undefined): string => (doc ?? '').split(/(?<=[.!?])\s|\n/)[0]!.slice(0, 160);

function place(e: CatalogEntry, i: number): string {
  const what = e.kind === 'module' ? 'module' : e.kind === 'doc' ? 'section' : `${e.kind} ${e.qualifiedName ?? e.name}`;
  const head = `${i + 1}) ${e.path}:${e.line}${e.endLine > e.line ? `-${e.endLine}` : ''}  ${what}${e.kind === 'doc' ? ` "${e.name}"` : ''}`;
  const sig = e.signature && e.kind !== 'module' && e.kind !== 'doc' ? `\n     ${e.signature.slice(0, 200)}` : '';
  const doc = firstLine(e.doc) ? `\n     doc: ${firstLine(e.doc)}` : '';
  return head + sig + doc;
}

/** The best distinct places: a member is dropped when its class is already listed, and the reverse. */
function pick(ranked: Ranked[], n: number): Ranked[] {
  const out: Ranked[] = [];
  for (const r of ranked) {
    const e = r.entry;
    const nested = out.some((o) => o.entry.path === e.path && ((o.entry.line <= e.line && e.endLine <= o.entry.endLine) || (e.line <= o.entry.line && o.entry.endLine <= e.endLine)));
    if (!nested) out.push(r);
    if (out.length === n) break;
  }
  return out;
}

/** Tests, test kits, benchmarks and question sets: never a sure answer to a question about the product. */
export const testSide = (path: string): boolean => /\.test\.ts$|^src\/testkit\/|\/eval\/|\/bench\//.test(path);

/**
 * Judges the ranking: sure when the best place holds most of the question's words, half of them in its
 * name, doc, path or signature, is product code (unless tests were asked for) and stands out from the
 * next; none when it holds under half of them or only tests hold them; closest otherwise.
 */
export function confidenceOf(best: Ranked[], askedTests = false): Confidence | 'none' {
  const [a, b] = best;
  if (!a || a.coverage < FOUND_COVERAGE) return 'none';
  const product = askedTests || !testSide(a.entry.path);
  if (!product && best.every((r) => testSide(r.entry.path))) return 'none';
  const clear = !b || a.score >= SURE_MARGIN * b.score;
  return product && clear && a.coverage >= SURE_COVERAGE && a.strong >= STRONG_COVERAGE ? 'sure' : 'closest';
}

async function flow(e: CatalogEntry, index: PlainIndex, code: CodeTools): Promise<{ text: string; citations: Citation[] }> {
  if (!['function', 'method', 'variable'].includes(e.kind)) return { text: '', citations: [] };
  const callees = index.callees(e).slice(0, 6);
  const callers = (await code.callers(e.qualifiedName ?? e.name).catch(() => [])).filter((c) => !c.path.includes('.test.')).slice(0, 5);
  const lines: string[] = [];
  if (callees.length) lines.push(`  ${e.name} calls: ${callees.map((c) => `${c.qualifiedName ?? c.name} (${c.path}:${c.line})`).join(', ')}`);
  if (callers.length) lines.push(`  ${e.name} is called from: ${callers.map((c) => `${c.path}:${c.line}${c.caller.includes('#') ? ` in ${c.caller.split('#')[1]}` : ''}`).join(', ')}`);
  return { text: lines.length ? `\nHow it flows:\n${lines.join('\n')}` : '', citations: [...callees, ...callers].map((c) => ({ path: c.path, line: c.line })) };
}

const quote = (q: string): string => (q.length > 80 ? `${q.slice(0, 77)}...` : q);

/**
 * Answers a plain question from the catalog. `none` answers say so and list the nearest places; a question
 * of one vague word with several equal places asks which one is meant.
 */
export async function answerPlain(question: string, code: CodeTools): Promise<PlainResult | null> {
  const index = await plainIndexOf(code);
  if (!index) return null;
  const { own, kinds } = index.terms(question);
  const bm25 = index.rank(question, 30);
  let note = '';
  const ranked = code.embed ? await rerank(question, bm25, code.embed).catch((err: Error) => {
    note = `\n(the embedding re-rank failed: ${err.message}; BM25 order)`;
    return bm25;
  }) : bm25;
  const best = pick(ranked, 3);
  const confidence = confidenceOf(best, kinds.includes('test'));
  const cites = best.map((r) => ({ path: r.entry.path, line: r.entry.line }));
  if (confidence === 'none') {
    const near = best.length ? `\nThe nearest places, none a good match:\n${best.map((r, i) => place(r.entry, i)).join('\n')}` : '';
    const text = `I did not understand "${quote(question)}" as a question I can look up: nothing in the code or docs holds its words together.`;
    return { text: `${text}${near}\nType help to see the forms I know, or search WORDS.`, citations: cites, confidence };
  }
  const [a, b] = best;
  if (own.length <= 1 && b && b.score >= 0.85 * a!.score && b.entry.path !== a!.entry.path) {
    return {
      text: `"${quote(question)}" could mean several places:\n${best.map((r, i) => place(r.entry, i)).join('\n')}\nWhich one do you mean? Answer with its number, or ask with more words.`,
      citations: cites, confidence: 'closest', choices: best.map((r) => r.entry),
    };
  }
  const shown = confidence === 'sure' ? best.slice(0, Math.max(1, best.filter((r) => r.score >= 0.6 * a!.score).length)) : best;
  const f = asksFlow(question) ? await flow(a!.entry, index, code) : { text: '', citations: [] };
  const head = confidence === 'sure' ? `Best match for "${quote(question)}":` : `Closest matches for "${quote(question)}" (not sure; none stands out):`;
  return {
    text: `${head}\n${shown.map((r, i) => place(r.entry, i)).join('\n')}${f.text}${note}`,
    citations: [...shown.map((r) => ({ path: r.entry.path, line: r.entry.line })), ...f.citations],
    confidence,
  };
}
