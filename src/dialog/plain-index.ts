// Ranking for plain questions ("where is the boot generation selection implemented?"): BM25 over the
// catalog's fields (name words weigh most, then doc comment, path, signature, body), abbreviations learned
// from the code, question words expanded with names that co-occur in the project, and priors that put
// definitions above their tests, test kits and the question sets themselves.
import type { CatalogEntry, CodeCatalog, PlainVocab } from './catalog.js';
import { learnVocab } from './plain-vocab.js';
import { KIND_WORDS, contentTerms, isStop, splitWords, stem } from './words.js';

export interface Ranked {
  entry: CatalogEntry;
  score: number;
  /** Share of the question's own terms (not expansions) the entry contains, 0-1. */
  coverage: number;
  /** The same share counting only its name, doc comment, path and signature (not its body). */
  strong: number;
}

export interface PlainIndex {
  readonly size: number;
  /** The best `k` entries for a question, best first. */
  rank(question: string, k?: number): Ranked[];
  /** The question's search terms: its own stems, abbreviations resolved, and the learned expansions. */
  terms(question: string): { own: string[]; expanded: string[]; kinds: string[] };
  /** Functions and methods the entry's body calls (defined in the catalog), in order of first call. */
  callees(entry: CatalogEntry): CatalogEntry[];
}

const K1 = 1.2;
/** Share of a file's own score its symbols inherit. */
const CONTEXT = 0.5;
const B = 0.5;

/** How much a place is worth before its words are read: the product first, its tests and question sets last. */
export function prior(e: CatalogEntry, kinds: ReadonlySet<string>): number {
  let p = 1;
  const test = /\.(?:test|vm\.test|vmlong\.test|host\.test)\.ts$/.test(e.path);
  if (test) p *= kinds.has('test') ? 1.2 : 0.35;
  if (e.path.startsWith('src/testkit/')) p *= kinds.has('test') ? 1 : 0.55;
  if (e.path.includes('/eval/') || e.path.includes('/bench/')) p *= 0.3;
  if (e.kind === 'doc') p *= kinds.has('doc') ? 1.3 : 0.55;
  if (e.kind === 'module') p *= kinds.has('module') ? 1.6 : 0.75;
  if (kinds.has('function') && ['function', 'method'].includes(e.kind)) p *= 1.25;
  if (kinds.has('method') && e.kind === 'method') p *= 1.3;
  if (kinds.has('class') && e.kind === 'class') p *= 1.5;
  if ((kinds.has('type') || kinds.has('interface')) && ['type', 'interface'].includes(e.kind)) p *= 1.5;
  if (kinds.has('error') && /Error$/.test(e.name)) p *= 1.5;
  if (e.kind === 'variable' && !/^[A-Z_]+$/.test(e.name)) p *= 0.85;
  return p;
}

const VERB = String.raw`(?:that|which|does|do|is|are|has|says?|holds?|checks?|makes?|reads?|writes?|turns?|converts?|finds?|handles?|decides?|verifies?)`;
const ASKS_KIND = new RegExp(String.raw`\b(?:which|what|a|the)\s+(\w+)\s+${VERB}\b|\b(?:which|what)\s+(\w+)`, 'g');

/**
 * The kinds of place a question asks for: "which function", "what file" name one; tests and errors count
 * wherever they are said. "the file name of ..." asks for no file.
 */
export function kindsOf(question: string): string[] {
  const q = question.toLowerCase();
  const out = new Set<string>();
  for (const m of q.matchAll(ASKS_KIND)) {
    const k = KIND_WORDS[m[1] ?? m[2]!];
    if (k) out.add(k);
  }
  for (const w of splitWords(q)) if (KIND_WORDS[w] === 'test' || KIND_WORDS[w] === 'error') out.add(KIND_WORDS[w]!);
  return [...out];
}

/** Builds the index of a catalog, from its saved vocabulary when it has one (plain-vocab.ts), else learned here. */
export function buildPlainIndex(catalog: CodeCatalog, vocab: PlainVocab = catalog.vocab ?? learnVocab(catalog.entries)): PlainIndex {
  const { entries } = catalog;
  const abbrev = new Map(vocab.abbrev);
  const { terms: termOf } = vocab;
  const idOf = new Map(termOf.map((t, id) => [t, id]));
  const nameTerms = vocab.nameTerms.map((ids) => ids.map((t) => termOf[t]!));
  const strongSets = new Map<number, Set<string>>();
  const strongTerms = (i: number): Set<string> => {
    let s = strongSets.get(i);
    if (!s) strongSets.set(i, (s = new Set(vocab.strongTerms[i]!.map((t) => termOf[t]!))));
    return s;
  };
  const lens = new Float64Array(entries.length);
  for (const p of vocab.postings) for (let j = 0; j < p.length; j += 2) lens[p[j]!]! += p[j + 1]! / 1000;
  const moduleOf = new Map<string, number>();
  const symbolsIn = new Set<string>();
  entries.forEach((e, i) => { if (e.kind === 'module') moduleOf.set(e.path, i); else symbolsIn.add(e.path); });
  const avg = lens.reduce((a, b) => a + b, 0) / Math.max(1, lens.length);
  const byName = new Map<string, CatalogEntry[]>();
  const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => { const l = m.get(k); if (l) l.push(v); else m.set(k, [v]); };
  for (const e of entries) if (['function', 'method', 'class'].includes(e.kind)) push(byName, e.name, e);
  const nameIndex = new Map<string, number[]>();
  nameTerms.forEach((ts, i) => { for (const t of ts) push(nameIndex, t, i); });

  /** Names that keep company with `t` in symbol names: "restart" brings "backoff" when most names with one have the other. */
  function related(t: string, own: ReadonlySet<string>): string[] {
    const with_ = nameIndex.get(t) ?? [];
    if (with_.length < 3) return [];
    const count = new Map<string, number>();
    for (const i of with_) for (const o of nameTerms[i]!) if (o !== t && !own.has(o)) count.set(o, (count.get(o) ?? 0) + 1);
    return [...count].filter(([o, n]) => n >= 3 && n / with_.length >= 0.3 && (nameIndex.get(o)?.length ?? 0) <= 4 * n)
      .sort((a, b) => b[1] - a[1]).slice(0, 2).map(([o]) => o);
  }

  function terms(question: string) {
    const words = splitWords(question);
    const kinds = kindsOf(question);
    const own = [...new Set(words.filter((w) => !isStop(w) && !KIND_WORDS[w]).flatMap((w) => {
      const long = abbrev.get(w);
      return long ? [stem(w), stem(long)] : [stem(w)];
    }))];
    const ownSet = new Set(own);
    const expanded = [...new Set(own.flatMap((t) => related(t, ownSet)))];
    return { own, expanded, kinds };
  }

  return {
    size: entries.length,
    terms,
    rank(question, k = 10) {
      const q = terms(question);
      const kinds = new Set(q.kinds);
      const score = new Map<number, number>();
      const hits = new Map<number, number>();
      const n = entries.length;
      const weigh = (t: string, w: number, own: boolean) => {
        const id = idOf.get(t);
        if (id === undefined) return;
        const p = vocab.postings[id]!;
        const df = p.length / 2;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        for (let j = 0; j < p.length; j += 2) {
          const i = p[j]!, tf = p[j + 1]! / 1000;
          score.set(i, (score.get(i) ?? 0) + w * idf * (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * lens[i]!) / avg)));
          if (own) hits.set(i, (hits.get(i) ?? 0) + 1);
        }
      };
      for (const t of q.own) weigh(t, 1, true);
      for (const t of q.expanded) weigh(t, 0.25, false);
      const total = Math.max(1, q.own.length);
      // A symbol inherits part of its file's relevance (the file's path and header comment name the topic).
      const raw = new Map(score);
      for (const i of raw.keys()) {
        const m = moduleOf.get(entries[i]!.path);
        if (m !== undefined && m !== i) score.set(i, raw.get(i)! + CONTEXT * (raw.get(m) ?? 0));
      }
      // Files answer only questions about files; otherwise they lend their relevance to their symbols.
      return [...score].filter(([i]) => entries[i]!.kind !== 'module' || kinds.has('module') || !symbolsIn.has(entries[i]!.path)).map(([i, s]) => {
        const coverage = (hits.get(i) ?? 0) / total;
        const strong = q.own.filter((t) => strongTerms(i).has(t)).length / total;
        return { entry: entries[i]!, score: s * prior(entries[i]!, kinds) * (0.4 + 0.6 * coverage), coverage, strong };
      }).sort((a, b) => b.score - a.score || (a.entry.path < b.entry.path ? -1 : 1) || a.entry.line - b.entry.line).slice(0, k);
    },
    callees(entry) {
      const out: CatalogEntry[] = [];
      const seen = new Set<string>();
      for (const m of entry.body.split('\n').slice(1).join('\n').matchAll(/(?<![\w$.])(?:this\.)?([A-Za-z_$][\w$]*)\s*\(/g)) {
        const name = m[1]!;
        if (seen.has(name) || name === entry.name) continue;
        seen.add(name);
        const defs = byName.get(name);
        if (!defs) continue;
        const d = defs.find((x) => x.path === entry.path) ?? defs.find((x) => !x.path.includes('.test.')) ?? defs[0]!;
        out.push(d);
      }
      return out;
    },
  };
}

/** Stems of a text's content words (exported for tests and the answer's coverage line). */
export const questionTerms = contentTerms;
