// CodeTools over the code index (src/mind's CodeIndex). Written against the shape of its queries, not
// an import, so src/dialog builds without src/mind; the composition root (src/cli/chat.ts) passes the
// index in. Every result keeps mind's path:line.
import { buildCatalog, type CatalogFile, type CodeCatalog } from './catalog.js';
import { CodeUnavailableError } from './errors.js';
import type { CodeDiff, CodeSymbol, CodeTools } from './types.js';

interface MindLocation { path: string; line: number }
interface MindSymbol extends MindLocation { id: string; name: string; qualifiedName: string; kind: string; endLine: number; exported: boolean; doc?: string; signature: string }

/** The subset of src/mind's CodeIndex the dialog uses. */
export interface MindIndexLike {
  readonly data: { files: Record<string, unknown> };
  definitions(name: string, opts?: { limit?: number }): MindSymbol[];
  callers(symbol: string | MindSymbol): Array<MindLocation & { caller: string }>;
  moduleInfo(path: string): {
    path: string; summary?: string; lines: number; exports: Array<{ name: string; path?: string; line?: number }>;
    imports: Array<{ specifier: string; to?: string; line: number }>; importers: Array<{ path: string; line: number }>;
  } | undefined;
  testsFor(symbol: string | MindSymbol): Array<MindLocation & { kind: string; via: string }>;
  search(text: string, opts?: { k?: number }): Array<MindLocation & { endLine: number; title: string; snippet: string; score: number }>;
  read(path: string, fromLine?: number, toLine?: number): { path: string; fromLine: number; toLine: number; totalLines: number; lines: string[] };
}

/** The parts of mind's FileRecord the catalog reads (structural, like MindIndexLike). */
interface MindFileLike {
  path: string; kind: string; summary?: string; symbols?: MindSymbol[];
  sections?: Array<{ line: number; endLine: number; heading: string; trail: string[] }>; imports?: Array<{ to?: string }>;
}

/** The catalog from the index's symbols, sections and imports, with the source lines read from its root. */
function mindCatalog(index: MindIndexLike): CodeCatalog {
  const files: CatalogFile[] = [];
  for (const raw of Object.values(index.data.files)) {
    const f = raw as MindFileLike;
    if (f.kind !== 'ts' && f.kind !== 'markdown') continue;
    let lines: string[];
    try {
      lines = index.read(f.path, 1, 1_000_000).lines;
    } catch {
      continue; // gone from the tree since it was indexed: nothing to cite
    }
    files.push({
      path: f.path, lines, ...(f.summary ? { summary: f.summary } : {}),
      ...(f.kind === 'ts' ? { symbols: f.symbols ?? [], imports: (f.imports ?? []).flatMap((i) => (i.to ? [i.to] : [])) } : { sections: f.sections ?? [] }),
    });
  }
  return buildCatalog(files);
}

const sym = (s: MindSymbol): CodeSymbol => ({
  path: s.path, line: s.line, name: s.name, qualifiedName: s.qualifiedName, kind: s.kind, endLine: s.endLine, exported: s.exported,
  ...(s.doc ? { doc: s.doc } : {}), signature: s.signature,
});

/**
 * CodeTools over a mind index. `diff` compares two generations (the lead binds it to mind's
 * diffGenerations over the generations' indexes); without it generation diffs are refused with a reason.
 */
export function mindCodeTools(index: MindIndexLike, diff?: (a: string, b: string) => Promise<CodeDiff>): CodeTools {
  // Exact names first: mind falls back to fuzzy matches, which a definition question should not get
  // mixed in with a real hit.
  const exact = (name: string): MindSymbol[] => {
    const all = index.definitions(name, { limit: 20 });
    const base = name.split('.').at(-1)!;
    const hits = all.filter((s) => s.qualifiedName === name || s.name === base);
    return hits.length ? hits : all;
  };
  let catalog: CodeCatalog | undefined;
  return {
    definitions: async (name) => exact(name).map(sym),
    async callers(name) {
      const targets = exact(name).filter((s) => s.name === name.split('.').at(-1));
      const edges = targets.flatMap((t) => index.callers(t));
      return edges.map((e) => ({ path: e.path, line: e.line, caller: e.caller }))
        .sort((a, b) => Number(a.path.endsWith('.test.ts')) - Number(b.path.endsWith('.test.ts')));
    },
    async moduleInfo(path) {
      const m = index.moduleInfo(path);
      return m ? { path: m.path, ...(m.summary ? { summary: m.summary } : {}), lines: m.lines, exports: m.exports, imports: m.imports, importers: m.importers } : null;
    },
    async testsFor(name) {
      const targets = exact(name).filter((s) => s.name === name.split('.').at(-1));
      const seen = new Set<string>();
      const all = targets.flatMap((t) => index.testsFor(t)).filter((t) => !seen.has(t.path) && seen.add(t.path));
      // Tests that use the symbol answer the question; those that only import its module on some chain
      // are the answer when there are none.
      const direct = all.filter((t) => t.via === 'direct');
      return (direct.length ? direct : all).map((t) => ({ path: t.path, line: t.line, kind: t.kind, via: t.via }));
    },
    search: async (text, opts = {}) => index.search(text, { k: opts.k ?? 5 }).map((h) => ({ path: h.path, line: h.line, endLine: h.endLine, title: h.title, snippet: h.snippet, score: h.score })),
    async read(path, from, to) {
      try {
        return index.read(path, from, to);
      } catch (err) {
        throw new CodeUnavailableError(`Cannot read "${path}": ${(err as Error).message}`, { cause: err });
      }
    },
    async diff(a, b) {
      if (!diff) throw new CodeUnavailableError(`Cannot compare generations "${a}" and "${b}": no generation indexes are bound to the dialog`);
      return diff(a, b);
    },
    paths: async () => Object.keys(index.data.files).sort(),
    catalog: async () => (catalog ??= mindCatalog(index)),
  };
}
