// Queries over an IndexData: the CodeIndex the CLI and the dialog agent use. Lookup tables are built once
// per index; the BM25 table on the first search; source lines are read from the root when cited.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeIndex, SymbolQuery } from './api.js';
import { Bm25 } from './bm25.js';
import { diffGenerations } from './diff.js';
import { MindNotFoundError, MindQueryError } from './errors.js';
import { byLocation } from './format.js';
import { findDefinitions } from './names.js';
import { repoMap } from './repo-map.js';
import { testsCovering } from './tests-for.js';
import { tokenize } from './tokens.js';
import type {
  CallEdge, DocSection, Embedder, IndexData, IndexStats, ModuleInfo, ReadResult, Reference, SearchHit, SearchOptions, SymbolInfo,
} from './types.js';

class Index implements CodeIndex {
  readonly root: string;
  private readonly symbols = new Map<string, SymbolInfo>();
  private readonly refsTo = new Map<string, Reference[]>();
  private readonly callsTo = new Map<string, CallEdge[]>();
  private readonly callsFrom = new Map<string, CallEdge[]>();
  private readonly importers = new Map<string, Array<{ path: string; line: number }>>();
  private bm25?: Bm25;
  private readonly lineCache = new Map<string, string[]>();

  constructor(readonly data: IndexData) {
    this.root = data.root;
    const push = <T>(m: Map<string, T[]>, k: string, v: T) => { const a = m.get(k); if (a) a.push(v); else m.set(k, [v]); };
    for (const f of Object.values(data.files)) {
      for (const s of f.symbols) this.symbols.set(s.id, s);
      for (const r of f.references) push(this.refsTo, r.symbol, r);
      for (const c of f.calls) { push(this.callsTo, c.callee, c); push(this.callsFrom, c.caller, c); }
      for (const i of f.imports) if (i.to) push(this.importers, i.to, { path: f.path, line: i.line });
    }
  }

  notes() { return Object.values(this.data.files).flatMap((f) => f.notes); }

  stats(): IndexStats {
    const fs = Object.values(this.data.files);
    const sum = (g: (f: (typeof fs)[number]) => number) => fs.reduce((n, f) => n + g(f), 0);
    return {
      files: fs.length, modules: fs.filter((f) => f.kind === 'ts').length, symbols: this.symbols.size,
      references: sum((f) => f.references.length), calls: sum((f) => f.calls.length), sections: sum((f) => f.sections.length),
      chunks: sum((f) => f.chunks.length), notes: sum((f) => f.notes.length),
    };
  }

  symbol(id: string) { return this.symbols.get(id); }

  definitions(name: string, opts: { limit?: number } = {}) {
    return findDefinitions([...this.symbols.values()], name, opts.limit);
  }

  /** Ids a query stands for: the symbol itself, or every exact match of a name (fuzzy matches never widen a query). */
  private ids(q: SymbolQuery): string[] {
    if (typeof q !== 'string') return [q.id];
    if (!q.trim()) throw new MindQueryError('Cannot look up a symbol with an empty name; give a name like "Store.listDir"');
    const defs = this.definitions(q);
    const exact = defs.filter((s) => s.id === q || s.qualifiedName === q || s.name === q);
    return (exact.length ? exact : defs.slice(0, 1)).map((s) => s.id);
  }

  private collect<T extends { path: string; line: number; column?: number }>(m: Map<string, T[]>, q: SymbolQuery): T[] {
    return this.ids(q).flatMap((id) => m.get(id) ?? []).sort(byLocation);
  }

  references(q: SymbolQuery) { return this.collect(this.refsTo, q); }
  callers(q: SymbolQuery) { return this.collect(this.callsTo, q); }
  callees(q: SymbolQuery) { return this.collect(this.callsFrom, q); }

  moduleInfo(path: string): ModuleInfo | undefined {
    const f = this.data.files[path.replace(/^\.\//, '')];
    if (!f) return undefined;
    const tests = f.kind === 'ts' ? testsCovering(this.data.files, this.importers, f.path, new Set(f.symbols.map((s) => s.id))) : [];
    return {
      path: f.path, kind: f.kind, ...(f.summary ? { summary: f.summary } : {}), lines: f.lines,
      exports: f.exports.map((e) => {
        const s = e.symbol ? this.symbols.get(e.symbol) : undefined;
        return { ...e, ...(s ? { path: s.path, line: s.line } : {}) };
      }),
      imports: f.imports, importers: (this.importers.get(f.path) ?? []).slice().sort(byLocation),
      symbols: f.symbols, sections: f.sections, tests,
    };
  }

  testsFor(q: SymbolQuery) {
    const ids = this.ids(q);
    const byPath = new Map<string, Set<string>>();
    for (const id of ids) { const s = this.symbols.get(id)!; byPath.set(s.path, new Set([...(byPath.get(s.path) ?? []), id])); }
    const seen = new Set<string>();
    return [...byPath].flatMap(([p, set]) => testsCovering(this.data.files, this.importers, p, set))
      .sort((a, b) => (a.via === b.via ? 0 : a.via === 'direct' ? -1 : 1) || (a.chain?.length ?? 0) - (b.chain?.length ?? 0) || (a.path < b.path ? -1 : 1))
      .filter((t) => !seen.has(t.path) && Boolean(seen.add(t.path)));
  }

  docs(path?: string): DocSection[] {
    if (path !== undefined) return this.data.files[path]?.sections ?? [];
    return Object.values(this.data.files).flatMap((f) => f.sections);
  }

  private lines(path: string): string[] | undefined {
    let l = this.lineCache.get(path);
    if (!l) {
      try { l = readFileSync(join(this.root, path), 'utf8').split('\n'); } catch { return undefined; }
      this.lineCache.set(path, l);
    }
    return l;
  }

  private snippet(path: string, from: number, to: number, query: string): string {
    const lines = this.lines(path);
    if (!lines) return '';
    const terms = new Set(tokenize(query));
    let best = from, bestHits = -1;
    for (let i = from; i <= Math.min(to, from + 400); i++) {
      const hits = tokenize(lines[i - 1] ?? '').filter((t) => terms.has(t)).length;
      if (hits > bestHits) { best = i; bestHits = hits; }
    }
    const a = Math.max(from, best - 1), b = Math.min(to, a + 2);
    return lines.slice(a - 1, b).map((l) => l.slice(0, 200)).join('\n');
  }

  search(text: string, opts: SearchOptions = {}): SearchHit[] {
    this.bm25 ??= new Bm25(Object.values(this.data.files));
    const kinds = opts.kinds ? new Set(opts.kinds) : undefined;
    return this.bm25.search(text, opts.k ?? 10, (c) => !kinds || kinds.has(c.kind)).map(({ chunk, path, score }) => ({
      path, line: chunk.line, endLine: chunk.endLine, score: Math.round(score * 1000) / 1000, kind: chunk.kind, title: chunk.title,
      ...(chunk.symbol ? { symbol: chunk.symbol } : {}), snippet: this.snippet(path, chunk.line, chunk.endLine, text),
    }));
  }

  async searchHybrid(text: string, embedder: Embedder, opts: SearchOptions = {}): Promise<SearchHit[]> {
    const k = opts.k ?? 10;
    const pool = this.search(text, { ...opts, k: Math.max(50, k * 5) });
    if (!pool.length) return pool;
    const bodies = pool.map((h) => `${h.title}\n${(this.lines(h.path) ?? []).slice(h.line - 1, Math.min(h.endLine, h.line + 40)).join('\n')}`);
    const [q, ...vs] = await embedder.embed([text, ...bodies]);
    const cos = (a: number[], b: number[]) => {
      let d = 0, na = 0, nb = 0;
      for (let i = 0; i < a.length; i++) { d += a[i]! * (b[i] ?? 0); na += a[i]! ** 2; nb += (b[i] ?? 0) ** 2; }
      return d / (Math.sqrt(na * nb) || 1);
    };
    const dense = pool.map((h, i) => ({ h, s: cos(q!, vs[i]!) })).sort((a, b) => b.s - a.s).map((x) => x.h);
    // Reciprocal rank fusion: robust to the two scores' different scales.
    const fused = new Map<SearchHit, number>();
    pool.forEach((h, i) => fused.set(h, 1 / (60 + i)));
    dense.forEach((h, i) => fused.set(h, fused.get(h)! + 1 / (60 + i)));
    // Ties (one list's rank i+1 against the other's i) go to the embedding: it saw the meaning.
    const denseRank = new Map(dense.map((h, i) => [h, i]));
    return [...fused].sort((a, b) => b[1] - a[1] || denseRank.get(a[0])! - denseRank.get(b[0])!).slice(0, k).map(([h, s]) => ({ ...h, score: Math.round(s * 100000) / 100000 }));
  }

  read(path: string, fromLine = 1, toLine?: number): ReadResult {
    const p = path.replace(/^\.\//, '');
    if (!this.data.files[p]) throw new MindNotFoundError(`Cannot read "${path}": no such file in the index of "${this.root}"; list files with "dialogos code search"`);
    const lines = this.lines(p);
    if (!lines) throw new MindNotFoundError(`Cannot read "${path}": the file is gone from "${this.root}"; run "dialogos code index"`);
    if (!Number.isInteger(fromLine) || (toLine !== undefined && !Number.isInteger(toLine))) {
      throw new MindQueryError(`Cannot read "${path}" from line "${fromLine}" to "${toLine}": lines are whole numbers`);
    }
    const total = lines.length && lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
    const a = Math.min(Math.max(1, fromLine), Math.max(1, total));
    const b = Math.min(Math.max(a, toLine ?? a + 59), total);
    return { path: p, fromLine: a, toLine: b, totalLines: total, lines: lines.slice(a - 1, b) };
  }

  map(opts: { maxChars?: number; question?: string } = {}) {
    const focus = opts.question ? [...new Set(this.search(opts.question, { k: 20 }).map((h) => h.path))] : [];
    return repoMap(this.data.files, { ...(opts.maxChars ? { maxChars: opts.maxChars } : {}), focus });
  }

  diff(other: CodeIndex | IndexData) { return diffGenerations(this.data, 'data' in other ? other.data : other); }
}

/** A CodeIndex over persisted or freshly built data. */
export function createCodeIndex(data: IndexData): CodeIndex {
  return new Index(data);
}
