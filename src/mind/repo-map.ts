// A repository map (as in Aider): the most-used symbols' signatures, grouped by file, within a budget of
// characters. Ranked by how many other files reference a symbol, optionally focused on files that match
// a question: the context a model needs to find its way around the tree.
import type { FileRecord, SymbolInfo } from './types.js';

export interface RepoMapOptions {
  /** Upper bound on the map's length in characters (default 4000). */
  maxChars?: number;
  /** Paths to favour (e.g. the files a search for the question found), most relevant first. */
  focus?: string[];
}

export interface RepoMapEntry { path: string; summary?: string; symbols: Array<Pick<SymbolInfo, 'id' | 'line' | 'kind' | 'signature'>> }

/** The map as entries and as text (`path: summary` then `  line: signature` lines). */
export function repoMap(files: Record<string, FileRecord>, opts: RepoMapOptions = {}): { entries: RepoMapEntry[]; text: string } {
  const max = opts.maxChars ?? 4000;
  const usedBy = new Map<string, Set<string>>();
  for (const f of Object.values(files)) {
    for (const r of f.references) {
      if (r.symbol.startsWith(`${f.path}#`)) continue;
      let s = usedBy.get(r.symbol);
      if (!s) usedBy.set(r.symbol, (s = new Set()));
      s.add(f.path);
    }
  }
  const focus = new Map((opts.focus ?? []).map((p, i) => [p, (opts.focus!.length - i) * 1000]));
  const ranked = Object.values(files).flatMap((f) => f.symbols)
    .filter((s) => s.exported && !/\.test\.ts$/.test(s.path))
    .map((s) => ({ s, score: (usedBy.get(s.id)?.size ?? 0) + (focus.get(s.path) ?? 0) }))
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score || (a.s.id < b.s.id ? -1 : 1));
  const byPath = new Map<string, RepoMapEntry>();
  let size = 0;
  for (const { s } of ranked) {
    let e = byPath.get(s.path);
    const line = `  ${s.line}: ${s.signature}\n`;
    const head = e ? 0 : `${s.path}${files[s.path]?.summary ? `: ${files[s.path]!.summary!.split('\n')[0]}` : ''}\n`.length;
    if (size + head + line.length > max) continue;
    if (!e) byPath.set(s.path, (e = { path: s.path, ...(files[s.path]?.summary ? { summary: files[s.path]!.summary!.split('\n')[0]! } : {}), symbols: [] }));
    e.symbols.push({ id: s.id, line: s.line, kind: s.kind, signature: s.signature });
    size += head + line.length;
  }
  const entries = [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
  for (const e of entries) e.symbols.sort((a, b) => a.line - b.line);
  const text = entries.map((e) => `${e.path}${e.summary ? `: ${e.summary}` : ''}\n${e.symbols.map((s) => `  ${s.line}: ${s.signature}\n`).join('')}`).join('');
  return { entries, text };
}
