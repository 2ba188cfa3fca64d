// Seeds defects into the project's own files with the proposers' mutation operators (one implementation):
// first-order mutants sampled round-robin over (operator, subsystem) strata, plus a higher-order tier whose
// fix is not one operator away (2-3 mutations in one function, a deleted await, a wrong constant).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as TS from 'typescript';
import { DEFECT_ONLY_OPERATORS, MUTATION_OPERATORS, mutationSites, parses, type Edit, type Operator, type Site } from '../propose/index.js';
import { SeededRandom } from './rng.js';
import type { Defect, Mutation } from './types.js';

type Ts = typeof TS;

export interface SeedOptions {
  /** The tree's root; `files` are relative to it. */
  root: string;
  files: string[];
  /** First-order operators (default MUTATION_OPERATORS). */
  operators?: Record<string, Operator>;
  seed: number;
  /** First-order defects wanted (fewer when the files have fewer sites). */
  count: number;
  /** Higher-order defects wanted (default 0). */
  higherOrder?: number;
}

const NESTED = ['core/services', 'core/journal', 'core/api'];

/** The subsystem of a src path: its top folder, or a nested subsystem of src/core. */
export function subsystemOf(path: string): string {
  const rel = path.replace(/^src\//, '');
  return NESTED.find((n) => rel.startsWith(`${n}/`)) ?? rel.split('/')[0]!;
}

/** Applies non-overlapping edits (any order given). */
function applyAll(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

function makeDefect(file: string, text: string, sites: Site[], tier: Defect['tier']): Defect {
  const after = applyAll(text, sites.map((s) => s.edit));
  const first = sites[0]!;
  const mutations: Mutation[] = sites.map((s) => ({ operator: s.operator, line: s.line, before: s.before, after: s.after }));
  const mutatedLines = applyAll(text, [first.edit]).split('\n');
  return {
    id: createHash('sha256').update(`${file}\0${after}`).digest('hex').slice(0, 16),
    tier, file, subsystem: subsystemOf(file), operator: sites.map((s) => s.operator).join('+'), line: first.line, mutations,
    originalLine: text.split('\n')[first.line - 1] ?? '', mutatedLine: mutatedLines[first.line - 1] ?? '',
    change: { path: file, before: text, after }, fix: { path: file, before: after, after: text },
  };
}

/** Draws from strata round-robin (strata in a seeded order, each shuffled) until `n` are accepted. */
function roundRobin<T>(strata: Map<string, T[]>, rng: SeededRandom, n: number, accept: (x: T) => boolean): void {
  const queues = rng.shuffle([...strata.keys()].sort()).map((k) => rng.shuffle(strata.get(k)!));
  let taken = 0;
  while (taken < n && queues.some((q) => q.length)) {
    for (const q of queues) {
      const x = q.shift();
      if (x !== undefined && accept(x) && ++taken >= n) return;
    }
  }
}

/**
 * Seeds defects; deterministic for a seed and the files' contents. Each defect's mutated file parses and
 * no two defects leave the same text. Compiling, being killed by tests and causing no collateral failures
 * are the evaluator's to check: see validateDefects.
 */
export function seedDefects(ts: Ts, o: SeedOptions): Defect[] {
  const rng = new SeededRandom(o.seed);
  const texts = new Map([...o.files].sort().map((f) => [f, readFileSync(join(o.root, f), 'utf8')]));
  const seen = new Set<string>();
  const out: Defect[] = [];
  const accept = (file: string, sites: Site[], tier: Defect['tier']): boolean => {
    const text = texts.get(file)!;
    const d = makeDefect(file, text, sites, tier);
    const key = d.change.after!.replace(/\s+/g, ' ');
    if (seen.has(key) || !parses(ts, file, d.change.after!)) return false;
    seen.add(key);
    out.push(d);
    return true;
  };
  const strata = new Map<string, Array<{ file: string; site: Site }>>();
  for (const [file, text] of texts) {
    for (const site of mutationSites(ts, file, text, o.operators ?? MUTATION_OPERATORS)) {
      const k = `${site.operator}|${subsystemOf(file)}`;
      if (!strata.has(k)) strata.set(k, []);
      strata.get(k)!.push({ file, site });
    }
  }
  roundRobin(strata, rng, o.count, (x) => accept(x.file, [x.site], 'first-order'));
  if (o.higherOrder) roundRobin(higherOrderStrata(ts, texts, o.operators ?? MUTATION_OPERATORS, rng), rng, o.higherOrder, (x) => accept(x.file, x.sites, 'higher-order'));
  return out;
}

/** Higher-order candidates by kind: several mutations in one function, a deleted await, a wrong constant. */
function higherOrderStrata(ts: Ts, texts: Map<string, string>, operators: Record<string, Operator>, rng: SeededRandom): Map<string, Array<{ file: string; sites: Site[] }>> {
  const strata = new Map<string, Array<{ file: string; sites: Site[] }>>([['multi', []], ['remove-await', []], ['wrong-constant', []]]);
  for (const [file, text] of texts) {
    for (const site of mutationSites(ts, file, text, DEFECT_ONLY_OPERATORS)) strata.get(site.operator)!.push({ file, sites: [site] });
    const byFunction = new Map<number, Site[]>();
    const fns = functionSpans(ts, ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true));
    for (const site of mutationSites(ts, file, text, operators)) {
      const fn = fns.filter((f) => f.start <= site.edit.start && site.edit.start < f.end).at(-1)?.start;
      if (fn === undefined) continue;
      if (!byFunction.has(fn)) byFunction.set(fn, []);
      byFunction.get(fn)!.push(site);
    }
    for (const sites of byFunction.values()) {
      const picked: Site[] = [];
      for (const s of rng.shuffle(sites)) {
        if (picked.length >= 2 + rng.int(2)) break;
        if (picked.every((p) => s.edit.end <= p.edit.start || p.edit.end <= s.edit.start) && !picked.some((p) => p.line === s.line)) picked.push(s);
      }
      if (picked.length >= 2) strata.get('multi')!.push({ file, sites: picked.sort((a, b) => a.edit.start - b.edit.start) });
    }
  }
  return strata;
}

/** Spans of the file's functions, in source order (so the last one around an offset is the innermost). */
function functionSpans(ts: Ts, sf: TS.SourceFile): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  const visit = (n: TS.Node): void => {
    if (ts.isFunctionLike(n)) out.push({ start: n.getStart(sf), end: n.end });
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}
